package dev.keyline.connection;

import java.util.List;
import java.util.UUID;

/**
 * The managed connections of one Snowflake (account, user): every connection that may hold a key
 * of that user. rotation-service reads it to move all holders of the old key to the new one before
 * it unsets the old slot.
 *
 * @param connectionId the connection asked about (one of {@code holders})
 * @param user the user object, as Snowflake resolves the name ({@code svc_a} is {@code SVC_A})
 */
public record KeyHolders(UUID connectionId, String account, String user, List<Holder> holders) {

    /**
     * @param keyFingerprint {@code SHA256:…} of the connection's stored key
     * @param credentialVersion what {@code PUT …/credentials} compares (its {@code If-Match} and
     *        {@code expectedCredentialVersion})
     * @param etag the connection's entity tag ({@code If-Match} of {@code PUT /connections/{id}})
     */
    public record Holder(UUID id, String name, String keyFingerprint, int credentialVersion, String etag) {
    }
}
