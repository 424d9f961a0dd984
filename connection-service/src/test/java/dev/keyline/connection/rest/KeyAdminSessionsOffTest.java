package dev.keyline.connection.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With {@code admin-sessions.max-idle=0} every key-admin operation logs in, as before. */
@QuarkusTest
@TestProfile(KeyAdminSessionsOffTest.NoReuse.class)
class KeyAdminSessionsOffTest extends KeyAdminSessionFixture {

    public static class NoReuse implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connection-service.snowflake.admin-sessions.max-idle", "0");
        }
    }

    @Test
    void everyKeyAdminOperationLogsIn() {
        Pair p = pair("NOREUSE");
        int loginsBefore = adminLogins(p).size();
        double reusedBefore = adminSessions("reused");
        double freshBefore = adminSessions("fresh");

        readSlots(p);
        readSlots(p);
        setSlot2(p, ConnectionFixtures.newKey());
        unsetSlot2(p);

        assertThat(adminLogins(p)).hasSize(loginsBefore + 4);
        assertThat(adminSessions("reused")).isEqualTo(reusedBefore);
        assertThat(adminSessions("fresh") - freshBefore).isEqualTo(4);
    }
}
