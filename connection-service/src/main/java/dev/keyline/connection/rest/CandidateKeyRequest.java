package dev.keyline.connection.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A private key to log in with once, not stored. */
@Schema(name = "CandidateKeyRequest")
public record CandidateKeyRequest(
        @Schema(description = "PEM private key, RSA >= 2048 bits. Write-only.", writeOnly = true, format = "password") @NotBlank @Size(max = 65536) String privateKey,
        @Schema(description = "Passphrase of an encrypted key. Write-only.", writeOnly = true, format = "password") @Size(max = 1024) String privateKeyPassphrase) {

    @Override
    public String toString() {
        return "CandidateKeyRequest[material=masked]";
    }
}
