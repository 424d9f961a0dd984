package dev.keyline.console.certificates;

import java.util.Arrays;
import java.util.List;

import io.quarkus.qute.TemplateData;

/**
 * What a re-shown certificate form keeps: name, description and domains. The PEM fields and the
 * passphrase are never put back into a page; the person chooses the files again.
 */
@TemplateData
public record CertificateForm(String name, String description, String domains) {

    public static CertificateForm empty() {
        return new CertificateForm("", "", "");
    }

    public static CertificateForm of(Certificate c) {
        return new CertificateForm(c.name(), c.description() == null ? "" : c.description(), c.domainsText());
    }

    /** One domain per line (commas work too). */
    public List<String> domainList() {
        return Arrays.stream(domains == null ? new String[0] : domains.split("[,\\r\\n]+")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }
}
