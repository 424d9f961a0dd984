package dev.keyline.certificate.host;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The one normal form of a host name or IP literal, shared by the authorized-domain rules and the
 * egress (SSRF) gate.
 *
 * <p>Hosts are checked by hand-written single-pass scanners, not regular expressions: every check
 * here runs on user input (stored entries and every exchange target), and each must stay linear in
 * the input whatever it holds. The input length is bounded before anything else runs.
 *
 * <p>Both the stored entries and every host checked or connected to at call time go through the
 * same {@link #normalise(String)}, so that case, a trailing dot, Unicode vs punycode spelling, or an
 * IPv6 written two ways cannot make an allowed host look refused or, worse, a refused host look
 * allowed — and the host the domain matcher approved is the host the egress gate resolves.
 */
public final class HostName {

    private static final int MAX_HOST_INPUT = 1024;
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private HostName() {
    }

    /**
     * Normalises a host for storage and comparison: trim, lower-case, drop ONE trailing dot,
     * Unicode to punycode (IDNA with STD3 rules, so underscores and other non-hostname characters are
     * refused as they are in certificates and SNI), strict IPv4, IPv6 (with or without brackets) in
     * RFC 5952 form without brackets.
     *
     * @throws IllegalArgumentException with a reason fit for the API caller
     */
    public static String normalise(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (host.length() > MAX_HOST_INPUT) {
            throw new IllegalArgumentException("host is longer than 253 characters");
        }
        String text = host.strip();
        if (text.contains("://")) {
            // Else "http://a.example.com" reads as a host with a port (its colon), which misleads.
            throw new IllegalArgumentException("give a host name, not a URL (no scheme)");
        }
        if (text.startsWith("[") || text.endsWith("]")) {
            if (!(text.startsWith("[") && text.endsWith("]")) || text.length() < 3) {
                throw new IllegalArgumentException("brackets are only allowed around a whole IPv6 address");
            }
            String inner = text.substring(1, text.length() - 1);
            if (inner.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets are only allowed around an IPv6 address");
            }
            return normaliseIpv6(inner);
        }
        if (text.indexOf(':') >= 0) {
            return normaliseIpv6(text);
        }

        String lower = text.toLowerCase(Locale.ROOT);
        // Refuse empty labels before IDN does, so "a..b" gets our reason, not the JDK's.
        String dotsUnified = lower.replace('\u3002', '.').replace('\uff0e', '.').replace('\uff61', '.');
        String withoutTrailingDot = dotsUnified.endsWith(".")
                ? dotsUnified.substring(0, dotsUnified.length() - 1) : dotsUnified;
        if (withoutTrailingDot.isEmpty() || withoutTrailingDot.startsWith(".") || withoutTrailingDot.contains("..")) {
            throw new IllegalArgumentException("host has an empty label");
        }
        if (withoutTrailingDot.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'*' is not allowed in a host name");
        }

        String ascii;
        try {
            ascii = IDN.toASCII(withoutTrailingDot, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(idnReason(e));
        }
        if (isDottedQuad(ascii)) {
            return ascii;
        }
        if (ascii.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("host is longer than 253 characters");
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new IllegalArgumentException("host has an empty label");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("a label is longer than 63 characters");
            }
            if (!isLdhLabel(label)) {
                throw new IllegalArgumentException(
                        "host may only contain letters, digits and inner hyphens (no underscores or other characters)");
            }
        }
        String last = labels[labels.length - 1];
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // Resolvers read "127.1" or "010.0.0.1" as addresses; only a strict dotted quad is accepted.
            throw new IllegalArgumentException("looks like an IPv4 address but is not a valid dotted quad");
        }
        return ascii;
    }

    /** Whether an already normalised host is an IP literal (these never take part in wildcards or SNI). */
    public static boolean isIpLiteral(String normalisedHost) {
        return normalisedHost.indexOf(':') >= 0 || isDottedQuad(normalisedHost);
    }

    /** How a normalised host is written beside a port (URL authority, {@code Host} header, rule): IPv6 in brackets. */
    public static String bracketed(String normalisedHost) {
        return normalisedHost.indexOf(':') >= 0 ? "[" + normalisedHost + "]" : normalisedHost;
    }

    /**
     * Strict dotted quad: four decimal numbers 0-255 without leading zeros (which resolvers may read
     * as octal) and no short forms like {@code 127.1}.
     */
    private static boolean isDottedQuad(String text) {
        int parts = 0;
        int i = 0;
        int n = text.length();
        while (parts < 4) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (parts < 4) {
                if (i >= n || text.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == n;
    }

    /** A letter-digit-hyphen label: letters and digits, hyphens only inside. Lower-case input. */
    private static boolean isLdhLabel(String label) {
        int n = label.length();
        if (n == 0 || label.charAt(0) == '-' || label.charAt(n - 1) == '-') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = label.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Only hex digits, colons and dots (an IPv6 literal, possibly with a dotted-quad tail). */
    private static boolean isIpv6Text(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != ':' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static String idnReason(IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("too long")) {
            return "a label is longer than 63 characters";
        }
        if (message.contains("hyphen")) {
            return "a label may not start or end with a hyphen";
        }
        if (message.contains("Empty label")) {
            return "host has an empty label";
        }
        return "host may only contain letters, digits and inner hyphens (no underscores or other characters)";
    }

    private static String normaliseIpv6(String text) {
        // Only hex digits, colons and dots: this keeps InetAddress on its literal-parsing path, so
        // normalising never triggers a DNS lookup. Zone ids (%eth0) are refused on purpose.
        int colon = text.indexOf(':');
        if (colon == text.lastIndexOf(':') && colon > 0) {
            // Only a number after the one colon is a port; "localhost\r\nX: y" is no host at all.
            String after = text.substring(colon + 1);
            throw new IllegalArgumentException(!after.isEmpty() && after.chars().allMatch(c -> c >= '0' && c <= '9')
                    ? "host must not include a port; give the port separately"
                    : "host may only contain letters, digits and inner hyphens (no underscores or other characters)");
        }
        if (!isIpv6Text(text)) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        if (address instanceof Inet4Address v4) {
            // IPv4-mapped (::ffff:a.b.c.d): the JDK hands back the IPv4 address; compare it as one.
            return v4.getHostAddress();
        }
        if (address instanceof Inet6Address v6) {
            return compressIpv6(v6.getAddress());
        }
        throw new IllegalArgumentException("not a valid IPv6 address");
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run (>1) of zero groups as "::". */
    private static String compressIpv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
