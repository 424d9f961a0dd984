package dev.keyline.connection.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionType;
import dev.keyline.connection.persistence.ConnectionEntity;

/** A replace's audit line: before -> after for what matters, never what may be a secret. */
class ConnectionChangesTest {

    private static final UUID CERTIFICATE = UUID.fromString("6c7f5b0e-33d4-4e4e-9a57-2a0d9f1d2b11");

    private static ConnectionEntity apiConnector(String baseUrl) {
        ConnectionEntity e = new ConnectionEntity();
        e.name = "orders-api";
        e.timeoutSecs = 30;
        e.baseUrl = baseUrl;
        e.certificateId = CERTIFICATE;
        return e;
    }

    private static ConnectionInput replacedWith(String baseUrl) {
        return new ConnectionInput("orders-api", null, 30, false, ConnectionType.API, null, null, null, null, null, null,
                null, null, null, null, null, List.of(), baseUrl, CERTIFICATE, 0, 0);
    }

    @Test
    void aBaseUrlQueryIsReportedAsChangedNeverQuoted() {
        String detail = ConnectionChanges.describe(apiConnector("https://api.example.com/v1?api_key=old-s3cr3t"),
                replacedWith("https://api.example.com/v1?api_key=new-s3cr3t"));
        assertThat(detail).isEqualTo("baseUrl query changed").doesNotContain("s3cr3t");
    }

    @Test
    void aMovedBaseUrlIsShownWithoutItsQuery() {
        String detail = ConnectionChanges.describe(apiConnector("https://api.example.com/v1?api_key=s3cr3t"),
                replacedWith("https://api.other.example.com/v2"));
        assertThat(detail).isEqualTo("baseUrl: https://api.example.com/v1 -> https://api.other.example.com/v2; "
                + "baseUrl query changed");
        assertThat(ConnectionChanges.describe(apiConnector("https://api.example.com/v1"),
                replacedWith("https://api.example.com/v2"))).isEqualTo("baseUrl: https://api.example.com/v1 -> https://api.example.com/v2");
    }

    @Test
    void anUnchangedConnectorHasNoChanges() {
        assertThat(ConnectionChanges.describe(apiConnector("https://api.example.com/v1?a=1"),
                replacedWith("https://api.example.com/v1?a=1"))).isEqualTo("no changes");
    }
}
