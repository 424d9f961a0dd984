package dev.keyline.certificate.egress;

import dev.keyline.certificate.AuthorizedDomains;

import java.util.Locale;

/**
 * Where one outbound call goes: host, port, and the request target sent on the wire.
 *
 * <p>URLs are parsed by hand and strictly, not with {@link java.net.URI}: the host checked against
 * the authorized domains must be exactly the host connected to, and lenient parsers disagree on
 * inputs such as {@code https://a.com\@b.com/} or {@code https://a.com#@b.com/}. Anything
 * ambiguous (user info, fragments, backslashes, unencoded special characters) is refused.
 *
 * @param host         normalised (see {@link AuthorizedDomains#normaliseHost(String)}); IPv6 without brackets
 * @param port         1-65535
 * @param pathAndQuery origin-form request target, always starting with {@code /}
 */
public record OutboundTarget(String host, int port, String pathAndQuery) {

    private static final int DEFAULT_PORT = 443;
    private static final int MAX_URL_LENGTH = 8192;

    public OutboundTarget {
        host = AuthorizedDomains.normaliseHost(host);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535");
        }
        pathAndQuery = checkedPathAndQuery(pathAndQuery);
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

        String host;
        int port = DEFAULT_PORT;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'[' without a closing ']' in the URL host");
            }
            host = authority.substring(0, close + 1);
            String afterHost = authority.substring(close + 1);
            if (!afterHost.isEmpty()) {
                if (!afterHost.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected text after ']' in the URL host");
                }
                port = parsePort(afterHost.substring(1));
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && colon != authority.lastIndexOf(':')) {
                throw new IllegalArgumentException("IPv6 addresses must be written in brackets in a URL");
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            if (colon >= 0) {
                port = parsePort(authority.substring(colon + 1));
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("URL has no host");
        }
        return new OutboundTarget(host, port, pathAndQuery);
    }

    /** Whether the host is an IP literal: such targets get no SNI and are verified against IP SANs. */
    public boolean ipLiteral() {
        return AuthorizedDomains.isIpLiteral(host);
    }

    /** Value of the {@code Host} header: port only when not 443, IPv6 bracketed. */
    public String hostHeader() {
        String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == DEFAULT_PORT ? shown : shown + ":" + port;
    }

    /** The target as an https URL, for logs and audit. */
    public String url() {
        return "https://" + hostHeader() + pathAndQuery;
    }

    private static int parsePort(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port must be a number between 1 and 65535");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be a number between 1 and 65535");
        }
        return port;
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
