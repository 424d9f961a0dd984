package dev.keyline.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonLogFormatterTest {

    private final JsonLogFormatter formatter = new JsonLogFormatter("rotation-service");

    @Test
    void oneLineOneObjectWithTheIndexedFields() throws Exception {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "run %s: \"quoted\"\nsecond line\u0001", ExtLogRecord.FormatStyle.PRINTF,
                JsonLogFormatterTest.class.getName());
        record.setParameters(new Object[] { "r-1" });
        record.setLoggerName("dev.keyline.rotation.Worker");
        record.putMdc("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        record.putMdc("spanId", "00f067aa0ba902b7");
        record.putMdc(CallerLogContext.MDC_SUBJECT, "alice");
        record.setThrown(new IllegalStateException("boom"));

        String line = formatter.format(record);

        assertThat(line).endsWith("}\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("service").asText()).isEqualTo("rotation-service");
        assertThat(json.get("level").asText()).isEqualTo("WARNING");
        assertThat(json.get("logger").asText()).isEqualTo("dev.keyline.rotation.Worker");
        assertThat(json.get("message").asText()).isEqualTo("run r-1: \"quoted\"\nsecond line\u0001");
        assertThat(json.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(json.get("spanId").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(json.get("subject").asText()).isEqualTo("alice");
        assertThat(json.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom");
        assertThat(json.hasNonNull("timestamp")).isTrue();
    }

    @Test
    void absentContextLeavesFieldsOut() throws Exception {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "started", JsonLogFormatterTest.class.getName());
        record.setLoggerName("io.quarkus");
        JsonNode json = new ObjectMapper().readTree(formatter.format(record));
        assertThat(json.has("traceId")).isFalse();
        assertThat(json.has("subject")).isFalse();
        assertThat(json.has("exception")).isFalse();
    }
}
