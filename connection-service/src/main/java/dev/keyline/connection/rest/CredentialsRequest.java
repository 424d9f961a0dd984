package dev.keyline.connection.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new private key for a connection, stored only if a login with it succeeds and the version still matches. */
@Schema(name = "CredentialsRequest")
public record CredentialsRequest(
        @Schema(description = "PEM private key, RSA >= 2048 bits. Write-only.", writeOnly = true, format = "password") @NotBlank @Size(max = 65536) String privateKey,
        @Schema(description = "Passphrase of an encrypted key. Write-only.", writeOnly = true, format = "password") @Size(max = 1024) String privateKeyPassphrase,
        @Schema(description = "The credentialVersion the caller read; 409 when it changed since") @NotNull Integer expectedCredentialVersion) {

    @Override
    public String toString() {
        return "CredentialsRequest[expectedCredentialVersion=" + expectedCredentialVersion + ", material=masked]";
    }
}
