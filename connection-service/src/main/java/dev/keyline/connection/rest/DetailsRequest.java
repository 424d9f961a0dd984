package dev.keyline.connection.rest;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The type-specific part of a connection (Sigma's {@code details}). Snowflake fields and API
 * fields are mutually exclusive; which ones apply is checked by the service.
 */
@Schema(name = "ConnectionDetailsRequest")
public record DetailsRequest(
        @Schema(description = "snowflake or api", enumeration = { "snowflake", "api" }) @NotBlank String type,
        @Schema(description = "Snowflake account identifier: org-account (myorg-acct) or locator (xy12345.eu-central-1)") @Size(max = 255) String account,
        @Schema(description = "Endpoint override, https://host[:port]; default https://<account>.snowflakecomputing.com") @Size(max = 300) String host,
        @Schema(description = "Snowflake login name") @Size(max = 255) String user,
        @Size(max = 255) String role,
        @Size(max = 255) String warehouse,
        @Size(max = 255) String database,
        @Size(max = 255) String schema,
        @Schema(description = "key-pair (the only one supported)", enumeration = { "key-pair" }) @Size(max = 20) String authType,
        @Schema(description = "PEM private key (PKCS#8, encrypted PKCS#8, PKCS#1), RSA >= 2048 bits. Write-only.", writeOnly = true, format = "password") @Size(max = 65536) String privateKey,
        @Schema(description = "Passphrase of an encrypted key. Write-only.", writeOnly = true, format = "password") @Size(max = 1024) String privateKeyPassphrase,
        @Schema(description = "Connection (same account) whose role may change this user's keys; default: this connection") UUID keyAdminConnectionId,
        @Schema(description = "Key-admin connections: the Snowflake users whose keys it may change, names or patterns such as SVC_* (never its own user nor another key-admin's); empty: none") @Size(max = 100) List<@Size(max = 255) String> managesUsers,
        @Schema(description = "API connectors: https base URL") @Size(max = 2048) String baseUrl,
        @Schema(description = "API connectors: certificate-service certificate presented to the API") UUID certificateId,
        @Schema(description = "Sigma's OAuth switch: only false (or absent) is accepted, connections authenticate with key pairs") Boolean useOauth,
        @Schema(description = "Create only: the service generates the RSA key pair, registers the public key in a free slot of the user through keyAdminConnectionId, logs in with it and keeps the private key in Vault only (leave privateKey and privateKeyPassphrase out)") Boolean generateKeyPair,
        @Schema(description = "With generateKeyPair: RSA key size, 2048 (default), 3072 or 4096") Integer keyBits) {

    @Override
    public String toString() {
        return "DetailsRequest[type=" + type + ", material=masked]";
    }
}
