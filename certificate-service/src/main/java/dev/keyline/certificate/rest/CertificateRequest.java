package dev.keyline.certificate.rest;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.keyline.certificate.service.CertificateUpload;
import dev.keyline.common.validation.PlainText;
import dev.keyline.common.validation.ResourceName;
import dev.keyline.common.validation.ResourceNames;

/**
 * JSON body to create or replace a certificate. PEM fields accept real newlines, {@code \n}
 * escapes, CRLF and bare base64. On PUT, material fields left out keep what is stored.
 */
@Schema(name = "CertificateRequest")
public record CertificateRequest(
        @NotBlank @ResourceName String name,
        @Size(max = CertificateRequest.MAX_DESCRIPTION) @PlainText String description,
        @NotEmpty(message = "at least one authorized domain is required") @Size(max = CertificateRequest.MAX_DOMAINS) List<@NotBlank @Size(max = CertificateRequest.MAX_DOMAIN_LENGTH) String> authorizedDomains,
        @Schema(description = "PEM client certificate, optionally followed by its chain", writeOnly = true) @Size(max = CertificateRequest.MAX_PEM) String clientCertificate,
        @Schema(description = "PEM private key: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1. Write-only.", writeOnly = true, format = "password") @Size(max = CertificateRequest.MAX_PEM) String clientKey,
        @Schema(description = "Passphrase of an encrypted key. Write-only.", writeOnly = true, format = "password") @Size(max = CertificateRequest.MAX_PASSPHRASE) String passphrase,
        @Schema(description = "PEM CA certificate(s) that must have signed the server's certificate", writeOnly = true) @Size(max = CertificateRequest.MAX_PEM) String caCertificate) {

    // The ceilings of every upload, JSON or multipart (CertificateFiles checks its uploads against this record).
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_DOMAINS = 100;
    static final int MAX_DOMAIN_LENGTH = 260;
    static final int MAX_PEM = 65536;
    static final int MAX_PASSPHRASE = 1024;

    public CertificateUpload toUpload() {
        return new CertificateUpload(ResourceNames.normalize(name), description, authorizedDomains, clientCertificate, clientKey, passphrase,
                caCertificate);
    }

    @Override
    public String toString() {
        return "CertificateRequest[name=" + name + ", material=masked]";
    }
}
