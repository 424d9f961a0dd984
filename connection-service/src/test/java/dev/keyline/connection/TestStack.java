package dev.keyline.connection;

import dev.keyline.emulators.postgres.PostgresResource;
import dev.keyline.emulators.snowflake.SnowflakeEmulatorResource;
import dev.keyline.emulators.vault.VaultEmulatorResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * The real dependencies every Quarkus test of this module runs against, started once: a throwaway
 * PostgreSQL cluster from the installed binaries, the strict Vault emulator, the Snowflake emulator
 * (spoken to by the real JDBC driver) and a small certificate-service stand-in.
 */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = VaultEmulatorResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SnowflakeEmulatorResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CertificateServiceStub.Resource.class, scope = TestResourceScope.GLOBAL)
public final class TestStack {

    private TestStack() {
    }
}
