package dev.keyline.console.connections;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.keyline.console.api.Problem;
import io.quarkus.qute.TemplateData;

/**
 * The "send a request" form of an API connector, as connection-service's
 * {@code POST …/requests} body {@code {method, path, query, headers, body}}. Headers and query
 * parameters are typed one per line ({@code Name: value}, {@code name=value}). A re-shown form keeps
 * method, path, query and body but never the headers: they are where API keys and tokens go.
 */
@TemplateData
public record ApiRequestForm(String method, String path, String query, String headers, String body) {

    /** Methods the form offers; anything else is refused here, before a call. */
    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

    /** Body methods: a GET with a body is refused by many servers, so the body goes only with these. */
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");

    public static ApiRequestForm empty() {
        return new ApiRequestForm("GET", "/", "", "", "");
    }

    public List<String> methods() {
        return METHODS;
    }

    /** The same form without its headers, for showing it again. */
    public ApiRequestForm withoutHeaders() {
        return new ApiRequestForm(method, path, query, "", body);
    }

    /** connection-service's request body, or field errors (form field names) when a line cannot be read. */
    public Map<String, Object> toRequest(List<Problem.FieldError> errors) {
        String m = method == null ? "GET" : method.strip().toUpperCase(java.util.Locale.ROOT);
        if (!METHODS.contains(m)) {
            errors.add(new Problem.FieldError("method", "must be one of " + String.join(", ", METHODS)));
        }
        String p = path == null || path.isBlank() ? "/" : path.strip();
        if (!p.startsWith("/")) {
            errors.add(new Problem.FieldError("path", "must start with / (it is appended to the connector's base URL)"));
        }
        Map<String, String> h = lines("headers", headers, ':', errors);
        Map<String, String> q = lines("query", query, '=', errors);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", m);
        request.put("path", p);
        request.put("query", q);
        request.put("headers", h);
        request.put("body", WITH_BODY.contains(m) && body != null && !body.isEmpty() ? body : null);
        return request;
    }

    /** {@code name<sep>value} per line; blank lines are skipped; a line without a name is a field error. */
    static Map<String, String> lines(String field, String text, char separator, List<Problem.FieldError> errors) {
        Map<String, String> values = new LinkedHashMap<>();
        if (text == null) {
            return values;
        }
        List<String> bad = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\r?\n")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            int at = line.indexOf(separator);
            String name = at < 0 ? "" : line.substring(0, at).strip();
            if (name.isEmpty()) {
                bad.add(Integer.toString(n));
                continue;
            }
            values.put(name, line.substring(at + 1).strip());
        }
        if (!bad.isEmpty()) {
            // Only line numbers: a header line may hold a secret, so it is not quoted back.
            errors.add(new Problem.FieldError(field, "line " + String.join(", ", bad) + " is not name" + separator
                    + " value"));
        }
        return values;
    }
}
