package dev.keyline.connection.rest;

import java.security.KeyPair;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;

/**
 * The set-up of the tests that register, swap and unset keys in Snowflake users' slots (generated
 * key pairs, slot races, swaps during an outage, Snowflake's errors), once: the emulator, the leak
 * guard over every response and log line, the emulator's faults cleared after each test (a latency
 * or a held statement left behind would slow or break the next class), the suite's key-admin
 * connection, and fresh users whose slots hold given keys. Subclasses are {@code @QuarkusTest}s; the
 * test resource injects the emulator into this class's field (Quarkus' injector walks superclasses).
 */
@ExtendWith(SecretLeakGuard.class)
abstract class SnowflakeKeyFixture {

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @AfterEach
    void clearFaults() {
        snowflake.clearFaults();
    }

    /** The suite's key-admin connection (created once, through the API), allowed to manage the SVC_* users. */
    String keyAdmin() {
        return ConnectionFixtures.adminConnection(snowflake);
    }

    /** A fresh service user (role LOADER) whose slot 1 holds {@code slot1} and slot 2 {@code slot2}; null leaves a slot empty. */
    String user(String prefix, KeyPair slot1, KeyPair slot2) {
        String user = ConnectionFixtures.serviceUser(snowflake, prefix, slot1 == null ? null : slot1.getPublic());
        if (slot2 != null) {
            snowflake.setKeySlot(ConnectionFixtures.ACCOUNT, user, 2, slot2.getPublic());
        }
        return user;
    }
}
