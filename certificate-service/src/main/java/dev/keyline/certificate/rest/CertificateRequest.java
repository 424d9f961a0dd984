package dev.keyline.certificate.rest;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.keyline.certificate.service.CertificateUpload;

/**
 * JSON body to create or replace a certificate. PEM fields accept real newlines, {@code \n}
 * escapes, CRLF and bare base64. On PUT, material fields left out keep what is stored.
 */
@Schema(name = "CertificateRequest")
public record CertificateRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9 ._:-]*", message = "letters, digits, space and . _ : - only, starting with a letter or digit") String name,
        @Size(max = 2000) String description,
        @NotEmpty(message = "at least one authorized domain is required") @Size(max = 100) List<@NotBlank @Size(max = 260) String> authorizedDomains,
        @Schema(description = "PEM client certificate, optionally followed by its chain", writeOnly = true) @Size(max = 65536) String clientCertificate,
        @Schema(description = "PEM private key: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1. Write-only.", writeOnly = true, format = "password") @Size(max = 65536) String clientKey,
        @Schema(description = "Passphrase of an encrypted key. Write-only.", writeOnly = true, format = "password") @Size(max = 1024) String passphrase,
        @Schema(description = "PEM CA certificate(s) that must have signed the server's certificate", writeOnly = true) @Size(max = 65536) String caCertificate) {

    public CertificateUpload toUpload() {
        return new CertificateUpload(name, description, authorizedDomains, clientCertificate, clientKey, passphrase,
                caCertificate);
    }

    @Override
    public String toString() {
        return "CertificateRequest[name=" + name + ", material=masked]";
    }
}
