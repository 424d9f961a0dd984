package dev.keyline.certificate;

import dev.keyline.common.testing.RedactionChecks;

/** The suite-wide redaction checks for certificate-service: runs after every Quarkus test. */
class RedactionTest extends RedactionChecks {
}
