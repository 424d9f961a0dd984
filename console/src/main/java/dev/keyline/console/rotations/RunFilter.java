package dev.keyline.console.rotations;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.quarkus.qute.TemplateData;

/**
 * The runs list's filters and page, as the console's own query string and as rotation-service's.
 * The filters are passed on as given (each value URL-encoded, so a hand-edited URL cannot smuggle other
 * parameters) for rotation-service to judge: a connection id that is no UUID or an unknown state gets its
 * 400 naming the parameter, shown above the list, instead of being dropped for a list of every run.
 */
@TemplateData
public record RunFilter(String connectionId, String state, int page, int size) {

    /** rotation-service's run states, for the filter's select. */
    public static final List<String> STATES = List.of("PENDING", "PLAN", "GENERATE", "REGISTER", "VERIFY", "SWAP",
            "MOVE", "DRAIN", "RETIRE", "ROLLING_BACK", "DONE", "ROLLED_BACK", "NEEDS_ATTENTION", "CLOSED");

    static final int DEFAULT_SIZE = 20;

    public static RunFilter of(String connectionId, String state, Integer page, Integer size) {
        String id = connectionId == null || connectionId.isBlank() ? null : connectionId.strip();
        String s = state == null || state.isBlank() ? null : state.strip();
        int p = page == null || page < 0 ? 0 : page;
        int z = size == null || size < 1 || size > 200 ? DEFAULT_SIZE : size;
        return new RunFilter(id, s, p, z);
    }

    public List<String> states() {
        return STATES;
    }

    /** rotation-service's {@code GET /api/v1/rotations} query. */
    String apiQuery() {
        return "?" + filters() + "page=" + page + "&size=" + size;
    }

    /** The console's own list URL for another page with the same filters. */
    public String pageUrl(int other) {
        return "/rotations?" + filters() + "page=" + other + "&size=" + size;
    }

    private String filters() {
        StringBuilder q = new StringBuilder();
        if (connectionId != null) {
            q.append("connectionId=").append(enc(connectionId)).append('&');
        }
        if (state != null) {
            q.append("state=").append(enc(state)).append('&');
        }
        return q.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
