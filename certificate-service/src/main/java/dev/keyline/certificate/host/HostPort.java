package dev.keyline.certificate.host;

/**
 * A normalised host and a port: what an authorized-domain rule names and what an exchange connects to.
 *
 * <p>The {@code host[:port]} syntax (with IPv6 in brackets) is read here and nowhere else: the
 * domain rules ({@code DomainRule}) and the egress target ({@code OutboundTarget}) both split their
 * text with {@link #split(String, Syntax)}, so the SSRF gate and the domain matcher cannot disagree
 * about where a host ends and a port begins.
 *
 * @param host normalised by {@link HostName#normalise(String)} (raw input is accepted); IPv6 without brackets
 * @param port 1-65535
 */
public record HostPort(String host, int port) {

    /** The https port, implied when none is written. */
    public static final int DEFAULT_PORT = 443;

    public HostPort {
        host = HostName.normalise(host);
        checkPort(port);
    }

    /** Parses and normalises {@code host[:port]} written the way {@code syntax} allows. */
    public static HostPort parse(String text, Syntax syntax) {
        Split split = split(text, syntax);
        return new HostPort(split.host(), split.port());
    }

    /**
     * Splits {@code host[:port]} without judging the host (a domain rule's host may be a wildcard,
     * which is not a host name). The port defaults to 443.
     *
     * @throws IllegalArgumentException for bad brackets or a bad port, with a reason fit for the API caller
     */
    public static Split split(String text, Syntax syntax) {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'[' without a closing ']'" + syntax.where);
            }
            String rest = text.substring(close + 1);
            int port = DEFAULT_PORT;
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected text after ']'" + syntax.where);
                }
                port = parsePort(rest.substring(1));
            }
            return new Split(text.substring(0, close + 1), port);
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new Split(text, DEFAULT_PORT);
        }
        if (colon == text.lastIndexOf(':')) {
            return new Split(text.substring(0, colon), parsePort(text.substring(colon + 1)));
        }
        // Several colons: a bare IPv6 literal, which cannot carry a port unbracketed.
        if (!syntax.bareIpv6) {
            throw new IllegalArgumentException("IPv6 addresses must be written in brackets in a URL");
        }
        return new Split(text, DEFAULT_PORT);
    }

    /**
     * Strict decimal port: digits only (no sign, no spaces), at most 5 of them, 1-65535.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static int parsePort(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port must be a number between 1 and 65535");
        }
        int port = Integer.parseInt(digits);
        checkPort(port);
        return port;
    }

    /** @throws IllegalArgumentException unless 1-65535 */
    public static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535");
        }
    }

    /** {@code host} for 443, else {@code host:port}; IPv6 bracketed. The {@code Host} header and a rule's canonical form. */
    public String authority() {
        return authority(host, port);
    }

    /** {@link #authority()} for a host that is already normalised (or a wildcard rule's {@code *.suffix}). */
    public static String authority(String normalisedHost, int port) {
        String shown = HostName.bracketed(normalisedHost);
        return port == DEFAULT_PORT ? shown : shown + ":" + port;
    }

    /** Whether the host is an IP literal: such hosts get no SNI, no wildcard, and are verified against IP SANs. */
    public boolean ipLiteral() {
        return HostName.isIpLiteral(host);
    }

    /**
     * Where {@code host[:port]} text comes from, which decides the one thing the two places may
     * differ in: an authorized-domain entry may be a bare IPv6 literal ({@code 2001:db8::1}, port
     * 443), while a URL must bracket it (RFC 3986).
     */
    public enum Syntax {
        /** An authorized-domain entry: a bare IPv6 literal is allowed. */
        DOMAIN_ENTRY(true, ""),
        /** The authority of an https URL: IPv6 only in brackets. */
        URL_AUTHORITY(false, " in the URL host");

        private final boolean bareIpv6;
        private final String where;

        Syntax(boolean bareIpv6, String where) {
            this.bareIpv6 = bareIpv6;
            this.where = where;
        }
    }

    /**
     * The two halves of {@code host[:port]} before the host is judged.
     *
     * @param host as written (brackets kept); may be empty
     * @param port 443 when none was written
     */
    public record Split(String host, int port) {
    }
}
