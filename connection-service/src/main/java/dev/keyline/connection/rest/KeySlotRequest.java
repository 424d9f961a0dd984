package dev.keyline.connection.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A public key for one slot: PEM or bare base64 of the SubjectPublicKeyInfo, RSA >= 2048 bits. */
@Schema(name = "KeySlotRequest")
public record KeySlotRequest(@NotBlank @Size(max = 16384) String publicKey) {
}
