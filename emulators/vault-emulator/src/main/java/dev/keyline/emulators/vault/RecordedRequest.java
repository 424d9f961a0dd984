package dev.keyline.emulators.vault;

/**
 * One request the emulator answered: method, path and status, never headers or bodies.
 *
 * <p>Why no bodies: requests carry secrets and tokens; a log that tests print on failure must not
 * leak them. Method, path and status are enough to assert "the service wrote exactly once" or
 * "it retried after the 503".
 *
 * @param path the request path as sent, for instance {@code /v1/secret/data/app/db}
 * @param query the raw query string, {@code null} when there is none
 */
public record RecordedRequest(String method, String path, String query, int status) {

  @Override
  public String toString() {
    return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
  }
}
