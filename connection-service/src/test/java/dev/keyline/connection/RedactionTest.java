package dev.keyline.connection;

import dev.keyline.common.testing.RedactionChecks;

/** The suite-wide redaction checks for connection-service: runs after every Quarkus test. */
class RedactionTest extends RedactionChecks {
}
