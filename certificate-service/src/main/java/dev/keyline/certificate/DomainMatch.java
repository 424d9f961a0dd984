package dev.keyline.certificate;

/**
 * Outcome of checking one outbound host:port against a certificate's authorized domains.
 *
 * <p>A value rather than a boolean so the caller can log and return <em>why</em> a call was
 * refused (the rule that almost matched on another port, or the host being malformed) without
 * re-deriving it.
 *
 * @param allowed        whether a rule covers the host and port
 * @param normalisedHost the host as compared (lower-case, punycode, no trailing dot, IPv6 without
 *                       brackets); {@code null} when the host itself was invalid
 * @param port           the port as compared
 * @param matchedRule    canonical form of the covering rule; {@code null} when not allowed
 * @param reason         human-readable explanation, safe to show to the API caller
 */
public record DomainMatch(boolean allowed, String normalisedHost, int port, String matchedRule, String reason) {

    static DomainMatch allowed(String host, int port, DomainRule rule) {
        return new DomainMatch(true, host, port, rule.canonical(), "covered by authorized domain " + rule.canonical());
    }

    static DomainMatch refused(String host, int port, String reason) {
        return new DomainMatch(false, host, port, null, reason);
    }
}
