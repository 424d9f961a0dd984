package dev.keyline.certificate;

import com.google.common.net.InternetDomainName;
import dev.keyline.certificate.host.HostName;
import dev.keyline.certificate.host.HostPort;

/**
 * One authorized-domain entry, already normalised: the unit the egress check compares against.
 *
 * <p>Only two shapes exist on purpose: an exact host, or {@code *.suffix} covering exactly one
 * extra left-most label. Anything richer (regexes, multi-label wildcards, wildcards over public
 * suffixes) would let a certificate be presented to hosts its owner never thought about.
 *
 * @param host     normalised host (see {@link HostName#normalise(String)}); starts with
 *                 {@code "*."} when {@code wildcard}; IPv6 literals are stored without brackets
 * @param port     1-65535; 443 when the entry gave none
 * @param wildcard whether {@code host} is {@code *.suffix}
 */
public record DomainRule(String host, int port, boolean wildcard) {

    private static final String WILDCARD_PREFIX = "*.";
    /** A matched host is {@code label.suffix}, so the suffix must leave room for a 1-char label and a dot. */
    private static final int MAX_WILDCARD_SUFFIX_LENGTH = 253 - 2;

    public DomainRule {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        HostPort.checkPort(port);
        if (wildcard != host.startsWith(WILDCARD_PREFIX)) {
            throw new IllegalArgumentException("wildcard flag does not agree with the host");
        }
    }

    /**
     * Parses one user entry ({@code host}, {@code host:port}, {@code *.suffix[:port]}, an IPv4
     * literal, or an IPv6 literal, bracketed when a port follows).
     *
     * @throws IllegalArgumentException with a reason fit for the API caller
     */
    public static DomainRule parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("entry is empty");
        }
        String text = entry.strip();
        rejectUrlParts(text);

        HostPort.Split split = HostPort.split(text, HostPort.Syntax.DOMAIN_ENTRY);
        String hostPart = split.host();
        int port = split.port();

        if (hostPart.equals("*")) {
            throw new IllegalArgumentException("a lone '*' would authorize every host");
        }
        if (hostPart.startsWith(WILDCARD_PREFIX)) {
            String suffix = hostPart.substring(WILDCARD_PREFIX.length());
            return new DomainRule(WILDCARD_PREFIX + wildcardSuffix(suffix), port, true);
        }
        if (hostPart.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'*' is only allowed as the whole left-most label, as in *.example.com");
        }
        return new DomainRule(HostName.normalise(hostPart), port, false);
    }

    /** {@code host} for port 443, else {@code host:port}; IPv6 always bracketed. Parses back to an equal rule. */
    public String canonical() {
        return HostPort.authority(host, port);
    }

    /**
     * Whether this rule covers an already normalised host on the given port.
     *
     * <p>The wildcard comparison works on whole labels: the host must be exactly
     * {@code oneLabel + "." + suffix}, so {@code evilexample.com}, {@code example.com.evil.com},
     * the apex {@code example.com} and {@code a.b.example.com} all fall outside {@code *.example.com}.
     */
    public boolean matches(String normalisedHost, int port) {
        if (normalisedHost == null || port != this.port) {
            return false;
        }
        if (!wildcard) {
            return host.equals(normalisedHost);
        }
        String dotSuffix = host.substring(1); // ".example.com"
        if (normalisedHost.length() <= dotSuffix.length() || !normalisedHost.endsWith(dotSuffix)) {
            return false;
        }
        String firstLabel = normalisedHost.substring(0, normalisedHost.length() - dotSuffix.length());
        return !firstLabel.isEmpty() && firstLabel.indexOf('.') < 0 && firstLabel.indexOf(':') < 0;
    }

    private static void rejectUrlParts(String text) {
        if (text.contains("://")) {
            throw new IllegalArgumentException("give a host name, not a URL (no scheme)");
        }
        if (text.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a path is not allowed, give only host[:port]");
        }
        if (text.indexOf('@') >= 0) {
            throw new IllegalArgumentException("user info is not allowed, give only host[:port]");
        }
        if (text.indexOf('?') >= 0 || text.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a query or fragment is not allowed, give only host[:port]");
        }
    }

    /**
     * Validates the part after {@code *.}. A wildcard is only safe under a name somebody owns: not
     * over a public suffix (which would cover every customer of a registry or of a hosting platform
     * such as github.io), not over a bare top-level label, and never over IP addresses.
     */
    private static String wildcardSuffix(String rawSuffix) {
        if (rawSuffix.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'*' is only allowed as the whole left-most label, as in *.example.com");
        }
        String stripped = rawSuffix.strip();
        if (stripped.endsWith(".")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        String lastLabel = stripped.substring(stripped.lastIndexOf('.') + 1);
        if (stripped.indexOf(':') >= 0 || stripped.startsWith("[")
                || (!lastLabel.isEmpty() && lastLabel.chars().allMatch(c -> c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("wildcards are not allowed over IP addresses");
        }
        String suffix = HostName.normalise(rawSuffix);
        if (suffix.length() > MAX_WILDCARD_SUFFIX_LENGTH) {
            throw new IllegalArgumentException("name is longer than 253 characters");
        }
        boolean publicSuffix;
        try {
            publicSuffix = InternetDomainName.from(suffix).isPublicSuffix();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid domain name");
        }
        if (publicSuffix) {
            throw new IllegalArgumentException("'" + suffix
                    + "' is a public suffix; a wildcard over it would cover domains of unrelated owners");
        }
        if (hasPublicSuffixesBelow(suffix)) {
            throw new IllegalArgumentException("the names directly below '" + suffix + "' are public suffixes (the "
                    + "list's rule *." + suffix + "); a wildcard over it would cover domains of unrelated owners");
        }
        if (suffix.indexOf('.') < 0) {
            // The public suffix list's implicit rule: any top-level label is a public suffix, listed or not.
            throw new IllegalArgumentException("a wildcard over a top-level domain ('*." + suffix + "') is not allowed");
        }
        return suffix;
    }

    /**
     * A suffix the public suffix list names with a wildcard rule ({@code *.compute-1.amazonaws.com},
     * {@code *.kawasaki.jp}) is no public suffix itself, but every name directly below it is one: each EC2
     * host name belongs to whoever rents it. A probe had {@code *.compute-1.amazonaws.com} accepted.
     */
    private static boolean hasPublicSuffixesBelow(String suffix) {
        try {
            return InternetDomainName.from("x." + suffix).isPublicSuffix();
        } catch (IllegalArgumentException tooLong) {
            return false;
        }
    }
}
