package dev.keyline.connection.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import dev.keyline.common.validation.PlainText;
import dev.keyline.common.validation.ResourceName;
import dev.keyline.common.validation.ResourceNames;
import dev.keyline.connection.service.ConnectionDraft;
import dev.keyline.connection.service.ConnectionValidator;

/**
 * JSON body to create or replace a connection (Sigma style). The private key accepts real
 * newlines, {@code \n} escapes, CRLF and bare base64; on PUT it must be left out (use
 * {@code PUT .../credentials}).
 */
@Schema(name = "ConnectionRequest")
public record ConnectionRequest(
        @NotBlank @ResourceName String name,
        @Schema(description = "Free text; {} (as Sigma's QuickStart sends it) means none") @JsonDeserialize(using = StringOrEmptyObject.class) @Size(max = 2000) @PlainText String description,
        @Schema(description = "Login and query timeout in seconds (default 30, at most 600 as in Sigma's QuickStart)") @Min(1) @Max(ConnectionValidator.MAX_TIMEOUT_SECS) Integer timeoutSecs,
        @Schema(description = "Sigma's display option: show friendly names instead of Snowflake identifiers (default false); stored and returned") Boolean useFriendlyNames,
        @NotNull @Valid DetailsRequest details) {

    public ConnectionDraft toDraft() {
        DetailsRequest d = details;
        return new ConnectionDraft(ResourceNames.normalize(name), description, timeoutSecs, useFriendlyNames, d.useOauth(), d.type(), d.account(), d.host(), d.user(), d.role(),
                d.warehouse(), d.database(), d.schema(), d.authType(), d.privateKey(), d.privateKeyPassphrase(),
                d.keyAdminConnectionId(), d.managesUsers(), d.baseUrl(), d.certificateId(), d.generateKeyPair(), d.keyBits());
    }

    @Override
    public String toString() {
        return "ConnectionRequest[name=" + name + ", material=masked]";
    }
}
