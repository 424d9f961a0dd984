package dev.keyline.certificate.egress;

import dev.keyline.certificate.host.HostPort;

import java.util.Locale;

/**
 * Where one outbound call goes: host, port, and the request target sent on the wire.
 *
 * <p>URLs are parsed by hand and strictly, not with {@link java.net.URI}: the host checked against
 * the authorized domains must be exactly the host connected to, and lenient parsers disagree on
 * inputs such as {@code https://a.com\@b.com/} or {@code https://a.com#@b.com/}. Anything
 * ambiguous (user info, fragments, backslashes, unencoded special characters) is refused.
 *
 * <p>The host and port are a {@link HostPort}: the URL's authority is split by the same parser,
 * and the host normalised by the same code, as the authorized-domain entries it is checked against.
 *
 * @param address      normalised host and port
 * @param pathAndQuery origin-form request target, always starting with {@code /}
 */
public record OutboundTarget(HostPort address, String pathAndQuery) {

    private static final int MAX_URL_LENGTH = 8192;

    public OutboundTarget {
        if (address == null) {
            throw new IllegalArgumentException("host is empty");
        }
        pathAndQuery = checkedPathAndQuery(pathAndQuery);
    }

    /** From a raw host (normalised here; IPv6 with or without brackets), a port and a path. */
    public OutboundTarget(String host, int port, String pathAndQuery) {
        this(new HostPort(host, port), pathAndQuery);
    }

    /** From separate fields; a null or empty path means {@code /}. */
    public static OutboundTarget of(String host, int port, String pathAndQuery) {
        return new OutboundTarget(host, port, pathAndQuery);
    }

    /**
     * Parses {@code https://host[:port][/path][?query]}.
     *
     * @throws IllegalArgumentException for any other scheme, user info, a fragment, an empty host or
     *                                  a bad port, with a reason fit for the API caller
     */
    public static OutboundTarget parseUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("URL is empty");
        }
        String text = url.strip();
        if (text.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("URL is too long");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("URL contains spaces or control characters");
            }
        }
        int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("URL must start with https://");
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            throw new IllegalArgumentException("plain http is not allowed; use https");
        }
        if (!scheme.equals("https")) {
            throw new IllegalArgumentException("only https URLs are allowed");
        }
        if (text.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a fragment (#...) is not allowed");
        }
        if (text.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("backslashes are not allowed in the URL");
        }
        String rest = text.substring(schemeEnd + 3);
        int authorityEnd = firstIndexOf(rest, '/', '?');
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        String pathAndQuery = authorityEnd < 0 ? "/" : rest.substring(authorityEnd);
        if (pathAndQuery.startsWith("?")) {
            pathAndQuery = "/" + pathAndQuery;
        }
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("user info (user@host) is not allowed in the URL");
        }
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("URL has no host");
        }

        HostPort.Split split = HostPort.split(authority, HostPort.Syntax.URL_AUTHORITY);
        if (split.host().isEmpty()) {
            throw new IllegalArgumentException("URL has no host");
        }
        return new OutboundTarget(split.host(), split.port(), pathAndQuery);
    }

    /** Normalised host; IPv6 without brackets. */
    public String host() {
        return address.host();
    }

    public int port() {
        return address.port();
    }

    /** Whether the host is an IP literal: such targets get no SNI and are verified against IP SANs. */
    public boolean ipLiteral() {
        return address.ipLiteral();
    }

    /** Value of the {@code Host} header: port only when not 443, IPv6 bracketed. */
    public String hostHeader() {
        return address.authority();
    }

    /** The target as an https URL, for logs and audit. */
    public String url() {
        return "https://" + hostHeader() + pathAndQuery;
    }

    private static int firstIndexOf(String text, char a, char b) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Only RFC 3986 path and query characters, with well-formed percent escapes: what goes on the
     * request line must not be able to smuggle spaces, line breaks or a second request.
     */
    private static String checkedPathAndQuery(String pathAndQuery) {
        if (pathAndQuery == null || pathAndQuery.isEmpty()) {
            return "/";
        }
        if (pathAndQuery.charAt(0) != '/') {
            throw new IllegalArgumentException("path must start with '/'");
        }
        if (pathAndQuery.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("path is too long");
        }
        for (int i = 0; i < pathAndQuery.length(); i++) {
            char c = pathAndQuery.charAt(i);
            if (c == '%') {
                if (i + 2 >= pathAndQuery.length()
                        || Character.digit(pathAndQuery.charAt(i + 1), 16) < 0
                        || Character.digit(pathAndQuery.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("path has a '%' not followed by two hex digits");
                }
                i += 2;
            } else if (!isPathOrQueryChar(c)) {
                throw new IllegalArgumentException("path contains a character that must be percent-encoded");
            }
        }
        return pathAndQuery;
    }

    private static boolean isPathOrQueryChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
    }
}
