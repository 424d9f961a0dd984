package dev.keyline.certificate;

import dev.keyline.emulators.postgres.PostgresResource;
import dev.keyline.emulators.vault.VaultEmulatorResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * The real dependencies every Quarkus test of this module runs against, started once: a throwaway
 * PostgreSQL cluster from the installed binaries and the strict Vault emulator.
 */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = VaultEmulatorResource.class, scope = TestResourceScope.GLOBAL)
public final class TestStack {

    private TestStack() {
    }
}
