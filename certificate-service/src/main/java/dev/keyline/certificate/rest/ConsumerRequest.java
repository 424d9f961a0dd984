package dev.keyline.certificate.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import dev.keyline.common.validation.ResourceName;

/**
 * Body of {@code PUT …/consumers/{consumerId}}: how the consumer is named to whoever wants to delete
 * the certificate. The name follows the rule of certificate and connection names (connection-service
 * sends its connector's name): no control or bidi characters, no markup, as the 409 and the console show it.
 */
public record ConsumerRequest(
        @NotBlank @ResourceName String name,
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{0,99}", message = "must be a service name such as connection-service") String service) {
}
