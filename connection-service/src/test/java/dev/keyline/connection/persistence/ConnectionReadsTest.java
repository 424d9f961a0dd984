package dev.keyline.connection.persistence;

import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.persistence.Column;
import jakarta.persistence.Transient;

import org.junit.jupiter.api.Test;

import dev.keyline.common.validation.ResourceNames;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The plain JDBC reads of connections ({@link ConnectionReads}) give exactly what Hibernate's mapping
 * of the same row gives, field by field, and name every column the entity maps: the column list is
 * written twice, and this is what keeps the two in step. The row is stored through Hibernate with a
 * value in every column, so a column the read forgets cannot pass as an equal default.
 */
@QuarkusTest
class ConnectionReadsTest {

    @Inject
    ConnectionReads reads;

    @Test
    void everyMappedColumnIsRead() {
        Set<String> read = Arrays.stream(ConnectionReads.COLUMNS.split(",")).map(String::trim)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> mapped = persistentFields().stream().map(f -> {
            Column column = f.getAnnotation(Column.class);
            return column != null && !column.name().isEmpty() ? column.name() : f.getName();
        }).collect(Collectors.toCollection(LinkedHashSet::new));

        assertThat(read).isEqualTo(mapped);
    }

    @Test
    void aConnectionReadsAsHibernateReadsItThroughTheReadsAndTheApi() throws Exception {
        UUID id = UUID.randomUUID();
        String name = "Reads " + id.toString().substring(0, 8);
        QuarkusTransaction.requiringNew().run(() -> everyColumnSet(id, name).persist());
        try {
            readsAsHibernate(id, name);
        } finally {
            QuarkusTransaction.requiringNew().run(() -> ConnectionEntity.deleteById(id));
        }
    }

    private void readsAsHibernate(UUID id, String name) throws Exception {

        ConnectionEntity hibernate = QuarkusTransaction.requiringNew().call(() -> ConnectionEntity.findById(id));
        ConnectionEntity byId = reads.byId(id);
        ConnectionReads.Page page = reads.page(ResourceNames.containsPattern(name), 0, 5);

        for (Field f : persistentFields()) {
            f.setAccessible(true);
            assertThat(f.get(hibernate)).as(f.getName()).isNotNull();
            assertThat(f.get(byId)).as(f.getName()).isEqualTo(f.get(hibernate));
            assertThat(f.get(page.items().get(0))).as(f.getName()).isEqualTo(f.get(hibernate));
        }
        assertThat(page.total()).isEqualTo(1);
        assertThat(reads.page(ResourceNames.containsPattern(name), 5, 5)).isEqualTo(new ConnectionReads.Page(List.of(), 1));
        assertThat(reads.byId(UUID.randomUUID())).isNull();

        given().header("Authorization", READER).when().get("/api/v1/connections/" + id).then().statusCode(200)
                .header("ETag", equalTo("\"" + hibernate.version + "\"")).body("name", equalTo(name))
                .body("details.warehouse", equalTo("WH_READS"));
        given().header("Authorization", READER).queryParam("name", name.toUpperCase(Locale.ROOT))
                .when().get("/api/v1/connections").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(id.toString()));
    }

    private static ConnectionEntity everyColumnSet(UUID id, String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ConnectionEntity e = new ConnectionEntity();
        e.id = id;
        e.name = name;
        e.nameKey = ResourceNames.key(name);
        e.description = "every column set";
        e.type = "snowflake";
        e.timeoutSecs = 42;
        e.useFriendlyNames = true;
        e.account = "reads-test-account"; // an account no other test uses: this row declares managed users
        e.host = "http://127.0.0.1:1";
        e.user = "SVC_READS";
        e.role = "LOADER";
        e.warehouse = "WH_READS";
        e.database = "DB_READS";
        e.schema = "SCHEMA_READS";
        e.authType = "key-pair";
        e.keyFingerprint = "SHA256:reads";
        e.keySizeBits = 2048;
        e.hasPassphrase = true;
        e.keyAdminConnectionId = id; // references a connection: itself is one
        e.managesUsers = "READS_ONLY_*\nREADS_OTHER";
        e.credentialVersion = 3;
        e.vaultPath = "connections/" + id;
        e.vaultVersion = 2;
        e.baseUrl = "https://api.example.com";
        e.certificateId = UUID.randomUUID();
        e.createdAt = now;
        e.createdBy = "reads-test";
        e.updatedAt = now.plusSeconds(1);
        e.updatedBy = "reads-test";
        return e;
    }

    private static List<Field> persistentFields() {
        return Arrays.stream(ConnectionEntity.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())
                        && !f.isAnnotationPresent(Transient.class) && !f.getName().startsWith("$$_hibernate"))
                .toList();
    }
}
