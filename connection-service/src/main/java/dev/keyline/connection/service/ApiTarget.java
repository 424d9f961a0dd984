package dev.keyline.connection.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;

/**
 * Where an API connector call goes: a path UNDER the connector's {@code baseUrl}, never beside or
 * above it. The base URL is what an administrator bound the certificate to; a caller holding only
 * {@code connections:use} must not steer the certificate anywhere else on that host, let alone to
 * another host. Refused: absolute URLs and scheme-relative {@code //host}, {@code .} and {@code ..}
 * segments (also percent-encoded, also with {@code ;parameters}), backslashes, a {@code ?} or
 * {@code #} in the path (the query has its own field), and any character outside RFC 3986's path
 * characters.
 */
final class ApiTarget {

    /** An encoded control character or space: {@code %00}-{@code %20}, {@code %7f}. */
    private static final Pattern ENCODED_BLANK = Pattern.compile("%(?:[01][0-9a-f]|20|7f)");

    /**
     * Headers a caller may not set. Hop-by-hop and framing headers (certificate-service would refuse
     * them too; refusing here names the field): Host (the host is the base URL's), and the
     * credential headers: the connector authenticates with its client certificate, and an
     * Authorization relayed through it would act with a credential this service never sees audited.
     */
    static final Set<String> REFUSED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "proxy-connection", "expect", "authorization",
            "proxy-authorization");

    private static final String PCHAR_SYMBOLS = "-._~!$&'()*+,;=:@%/";

    private ApiTarget() {
    }

    /** The absolute URL for {@code path} and {@code query} under {@code baseUrl}. */
    static String url(String baseUrl, String path, Map<String, String> query) {
        String rel = path == null ? "" : path;
        String problem = pathProblem(rel);
        if (problem != null) {
            throw ProblemException.invalidField("path", problem);
        }
        int q = baseUrl.indexOf('?');
        String prefix = q < 0 ? baseUrl : baseUrl.substring(0, q);
        String baseQuery = q < 0 ? null : baseUrl.substring(q + 1);
        // A leading "/" means "from the base URL", as API docs write paths; it never climbs above it.
        String tail = rel.startsWith("/") ? rel.substring(1) : rel;
        StringBuilder url = new StringBuilder(prefix);
        if (!prefix.endsWith("/") && !tail.isEmpty()) {
            url.append('/');
        }
        url.append(tail);
        List<String> params = new ArrayList<>();
        if (baseQuery != null && !baseQuery.isEmpty()) {
            params.add(baseQuery);
        }
        if (query != null) {
            // Sorted: the same call always makes the same URL (audit, caches).
            new TreeMap<>(query).forEach((k, v) -> {
                if (k == null || k.isEmpty()) {
                    throw ProblemException.invalidField("query", "parameter names must not be empty");
                }
                params.add(encode(k) + "=" + encode(v == null ? "" : v));
            });
        }
        if (!params.isEmpty()) {
            url.append('?').append(String.join("&", params));
        }
        return url.toString();
    }

    /** Why {@code path} would leave the base URL or is not a path, or null. */
    static String pathProblem(String path) {
        if (path.startsWith("//")) {
            return "must be a path under the connector's baseUrl, not //host";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || PCHAR_SYMBOLS.indexOf(c) >= 0;
            if (!ok) {
                return c == '?' || c == '#' ? "must not contain ? or # (put parameters in query)"
                        : "may contain only URL path characters (percent-encode others)";
            }
            if (c == '%' && (i + 2 >= path.length() || !hex(path.charAt(i + 1)) || !hex(path.charAt(i + 2)))) {
                return "has a malformed percent-escape";
            }
        }
        int colon = path.indexOf(':');
        int slash = path.indexOf('/');
        if (colon >= 0 && (slash < 0 || colon < slash)) {
            // "https:..." or "x:y" would be read as a scheme by anyone resolving it as a reference.
            return "must be a path under the connector's baseUrl, not an absolute URL";
        }
        for (String segment : path.split("/", -1)) {
            String lenient = asLenientServersReadIt(segment);
            if (lenient.equals(".") || lenient.equals("..")) {
                return "must not contain . or .. segments: it may not leave the connector's baseUrl";
            }
            if (lenient.contains("%2f") || lenient.contains("%5c")) {
                return "must not contain encoded slashes";
            }
        }
        return null;
    }

    /**
     * A segment as the most lenient server behind a connector might read it before resolving dot segments,
     * lower-cased: {@code %25} decoded again (double encoding, up to three times), {@code %2e} and the overlong
     * UTF-8 forms of {@code .} decoded, encoded whitespace and controls dropped ({@code ..%00}, {@code ..%20}),
     * and everything from a {@code ;} (servlet containers drop RFC 3986 segment parameters: {@code ..;x}) or a
     * {@code :} (Windows' stream names: {@code ..:x}) cut off. A probe reached a lenient server's parent
     * directory with each of these.
     */
    static String asLenientServersReadIt(String segment) {
        String s = segment.toLowerCase(Locale.ROOT);
        for (int i = 0; i < 3 && s.contains("%25"); i++) {
            s = s.replace("%25", "%");
        }
        s = s.replace("%c0%ae", ".").replace("%e0%80%ae", ".").replace("%2e", ".").replace("%3b", ";")
                .replace("%3a", ":");
        s = ENCODED_BLANK.matcher(s).replaceAll("");
        int cut = s.length();
        for (char end : new char[] { ';', ':' }) {
            int at = s.indexOf(end);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return s.substring(0, cut);
    }

    /**
     * Control characters (C0 including tab, CR, LF and NUL; DEL; C1) in {@code path}, a {@code query}
     * name or value, or a header name or value, as field errors: {@code path}, {@code query.<name>}
     * (the value), {@code headers.<name>} (the value), and {@code query} or {@code headers} alone for a
     * name holding one (such a name is not echoed back). None of them has a meaning in a URL or an
     * HTTP header, a CR or LF would split one, and a NUL cannot be stored in the audit trail: checked
     * before anything is looked up, audited or sent.
     */
    static List<FieldError> controlCharacterProblems(String path, Map<String, String> query, Map<String, String> headers) {
        List<FieldError> errors = new ArrayList<>();
        String reason = "must not contain control characters";
        if (hasControl(path)) {
            errors.add(new FieldError("path", reason));
        }
        fieldsWithControl("query", query, errors);
        fieldsWithControl("headers", headers, errors);
        return errors;
    }

    private static void fieldsWithControl(String field, Map<String, String> entries, List<FieldError> errors) {
        if (entries == null) {
            return;
        }
        new TreeMap<>(entries).forEach((name, value) -> {
            if (hasControl(name)) {
                errors.add(new FieldError(field, "a name must not contain control characters"));
            } else if (hasControl(value)) {
                errors.add(new FieldError(field + "." + name, "must not contain control characters"));
            }
        });
    }

    private static boolean hasControl(String s) {
        return s != null && s.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f));
    }

    /** Header problems as field errors ({@code headers.<name>}). */
    static List<FieldError> headerProblems(Map<String, String> headers) {
        List<FieldError> errors = new ArrayList<>();
        if (headers == null) {
            return errors;
        }
        headers.forEach((name, value) -> {
            String field = "headers." + name;
            if (name == null || name.isEmpty() || !name.chars().allMatch(ApiTarget::tokenChar)) {
                errors.add(new FieldError("headers", "a header name is not an HTTP token"));
            } else if (REFUSED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(field, "may not be set: hop-by-hop, Host and credential headers are refused"));
            } else if (value == null || !value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
                errors.add(new FieldError(field, "must be visible ASCII text"));
            }
        });
        return errors;
    }

    private static boolean tokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
