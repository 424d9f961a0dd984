package dev.keyline.certificate.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.keyline.certificate.service.CertificateService;
import dev.keyline.certificate.service.CertificateUpload;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.problem.Violations;

/**
 * Turns a multipart upload into the same {@link CertificateUpload} the JSON API builds, checking
 * file names and sizes first. Domains may come as repeated fields or one comma-separated field.
 */
@ApplicationScoped
public class CertificateFiles {

    static final Set<String> CERTIFICATE_EXTENSIONS = Set.of(".pem", ".crt", ".cer");
    static final Set<String> KEY_EXTENSIONS = Set.of(".pem", ".key");
    private static final long MAX_FILE_BYTES = 65_536;

    @Inject
    Validator validator;

    @Inject
    CertificateService certificates;

    /**
     * Reads the files, then checks everything against the same constraints as a JSON
     * {@link CertificateRequest}: one set of ceilings (name, description, domain count and length,
     * PEM and passphrase sizes) whichever way a certificate arrives.
     */
    public CertificateUpload toUpload(String name, String description, List<String> domains, FileUpload certificate,
            FileUpload key, String passphrase, FileUpload ca) {
        List<FieldError> errors = new ArrayList<>();
        // A missing or blank name is left to CertificateRequest's @NotBlank: the same reason as in JSON.
        String certificatePem = read("clientCertificate", certificate, CERTIFICATE_EXTENSIONS, true, errors);
        String keyPem = read("clientKey", key, KEY_EXTENSIONS, true, errors);
        String caPem = read("caCertificate", ca, CERTIFICATE_EXTENSIONS, false, errors);
        if (entries(domains) > CertificateRequest.MAX_DOMAINS + 1) {
            // Empty entries are skipped (a trailing comma is harmless), but not without end: a field of
            // 20,000 commas is no list of domains, and JSON refuses each empty entry.
            errors.add(new FieldError("authorizedDomains",
                    "at most " + CertificateRequest.MAX_DOMAINS + " entries (empty ones between commas count too)"));
        }
        CertificateRequest request = new CertificateRequest(name == null ? null : name.trim(), description,
                splitDomains(domains), certificatePem, keyPem, passphrase, caPem);
        List<FieldError> violations = Violations.of(validator.validate(request));
        violations.removeIf(v -> Violations.covered(v.field(), errors));
        if (!errors.isEmpty() || !violations.isEmpty()) {
            // Every bad field in one answer: the files' problems, bean validation's and the service's own
            // checks on the rest (the key parsed on the key pool), each field once. invalid-request when
            // bean validation refused something (as its answer was), else invalid-certificate.
            errors.addAll(violations);
            certificates.refuse(request.toUpload(), false, errors, !violations.isEmpty());
        }
        return request.toUpload();
    }

    /** The parts a multipart create takes; only authorizedDomains may come more than once (a domain a part). */
    static final Set<String> PARTS = Set.of("name", "description", "authorizedDomains", "clientCertificate", "clientKey",
            "passphrase", "caCertificate");
    static final String REPEATABLE_PART = "authorizedDomains";

    /**
     * Refuses parts the upload does not take and parts sent twice, as a JSON body refuses unknown and
     * duplicate keys: a misspelt {@code caCertficate} must not leave the server silently unpinned, and
     * of two {@code name} parts neither is silently the one kept.
     */
    static void requireKnownParts(Map<String, ? extends Collection<?>> parts) {
        List<FieldError> errors = new ArrayList<>();
        parts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(part -> {
            if (!PARTS.contains(part.getKey())) {
                errors.add(new FieldError(shown(part.getKey()), "unknown field"));
            } else if (part.getValue().size() > 1 && !REPEATABLE_PART.equals(part.getKey())) {
                errors.add(new FieldError(part.getKey(), "sent more than once; send each part once"));
            }
        });
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "invalid-request", "Invalid request",
                    "The form has " + errors.size() + " part(s) this upload does not take (see errors); it takes "
                            + PARTS.stream().sorted().toList() + ", each once except authorizedDomains",
                    errors);
        }
    }

    /** A part name as the caller sent it, cut short: it is echoed back, and any name is accepted by the parser. */
    private static String shown(String partName) {
        return partName.length() <= 100 ? partName : partName.substring(0, 100) + "...";
    }

    /** How many entries the fields hold, empty ones included: one per field plus one per comma. */
    static long entries(List<String> fields) {
        long entries = 0;
        if (fields != null) {
            for (String field : fields) {
                entries += 1 + field.chars().filter(c -> c == ',').count();
            }
        }
        return entries;
    }

    /** Comma-separated or repeated fields; at most one entry past the ceiling is kept, so the count check still fires. */
    static List<String> splitDomains(List<String> fields) {
        List<String> out = new ArrayList<>();
        if (fields != null) {
            for (String field : fields) {
                int start = 0;
                while (start <= field.length() && out.size() <= CertificateRequest.MAX_DOMAINS) {
                    int comma = field.indexOf(',', start);
                    int end = comma < 0 ? field.length() : comma;
                    String part = field.substring(start, end);
                    if (!part.isBlank()) {
                        // strip(), not trim(): trim() also drops control characters such as NUL,
                        // which the JSON path refuses; both paths must see the same entry.
                        out.add(part.strip());
                    }
                    start = end + 1;
                }
            }
        }
        return out;
    }

    private static String read(String field, FileUpload file, Set<String> extensions, boolean required,
            List<FieldError> errors) {
        if (file == null) {
            if (required) {
                errors.add(new FieldError(field, "file is required"));
            }
            return null;
        }
        String fileName = file.fileName() == null ? "" : file.fileName().toLowerCase(Locale.ROOT);
        if (extensions.stream().noneMatch(fileName::endsWith)) {
            errors.add(new FieldError(field, "file name must end with one of " + extensions.stream().sorted().toList()));
            return null;
        }
        if (file.size() > MAX_FILE_BYTES) {
            errors.add(new FieldError(field, "file is larger than " + MAX_FILE_BYTES + " bytes"));
            return null;
        }
        try {
            return Files.readString(file.uploadedFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // A binary blob (a PKCS#12 file, a DER certificate) is not UTF-8 text.
            errors.add(new FieldError(field, "file is not PEM text (binary PKCS#12 or DER files are not accepted; export PEM)"));
            return null;
        }
    }
}
