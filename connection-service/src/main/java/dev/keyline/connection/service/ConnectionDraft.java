package dev.keyline.connection.service;

import java.util.List;
import java.util.UUID;

/**
 * A create or replace request as the client sent it, before validation. Field names follow the
 * JSON ({@code details.*}) so errors can name them. {@link #toString()} is masked.
 */
public record ConnectionDraft(String name, String description, Integer timeoutSecs, Boolean useFriendlyNames,
        Boolean useOauth, String type, String account,
        String host, String user, String role, String warehouse, String database, String schema, String authType,
        String privateKey, String privateKeyPassphrase, UUID keyAdminConnectionId, List<String> managesUsers,
        String baseUrl, UUID certificateId, Boolean generateKeyPair, Integer keyBits) {

    @Override
    public String toString() {
        return "ConnectionDraft[name=" + name + ", type=" + type + ", material=masked]";
    }
}
