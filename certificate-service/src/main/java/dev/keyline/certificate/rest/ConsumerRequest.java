package dev.keyline.certificate.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT …/consumers/{consumerId}}: how the consumer is named to whoever wants to delete the certificate. */
public record ConsumerRequest(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{0,99}", message = "must be a service name such as connection-service") String service) {
}
