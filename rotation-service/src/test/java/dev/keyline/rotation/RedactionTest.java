package dev.keyline.rotation;

import dev.keyline.common.testing.RedactionChecks;

/** The suite-wide redaction checks for rotation-service: runs after every Quarkus test. */
class RedactionTest extends RedactionChecks {
}
