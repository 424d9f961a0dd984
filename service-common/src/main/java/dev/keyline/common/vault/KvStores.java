package dev.keyline.common.vault;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.vault.client.VaultClient;

/** Opens a service's {@link KvStore} with the Vault client and the timeout of {@link VaultConfig}. */
@ApplicationScoped
public class KvStores {

    @Inject
    VaultClient vault;

    @Inject
    VaultConfig config;

    public KvStore open(String mount, String prefix) {
        return new KvStore(vault, mount, prefix, config.timeout());
    }
}
