package dev.keyline.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An HTTP answer in the shapes Vault uses: the logical-response envelope, the bare
 * {@code {"errors":[...]}} body, or no body at all (204).
 *
 * <p>Why one type: clients parse these shapes strictly (quarkus-vault fails on a 204 where it
 * expects a body), so every handler must build them the same way.
 *
 * @param body {@code null} for no body
 */
record VaultResponse(int status, JsonNode body) {

  /** Vault's wording when a framework path exists but not for this operation. */
  static final String UNSUPPORTED_OPERATION = "1 error occurred:\n\t* unsupported operation\n\n";

  static VaultResponse noContent() {
    return new VaultResponse(204, null);
  }

  static VaultResponse json(int status, JsonNode body) {
    return new VaultResponse(status, body);
  }

  /** {@code {"errors":[messages...]}}; no message gives the empty list Vault sends for a 404. */
  static VaultResponse errors(int status, String... messages) {
    ObjectNode body = Json.object();
    ArrayNode errors = body.putArray("errors");
    for (String message : messages) {
      errors.add(message);
    }
    return new VaultResponse(status, body);
  }

  static VaultResponse notFound() {
    return errors(404);
  }

  static VaultResponse permissionDenied() {
    return errors(403, "permission denied");
  }

  /**
   * A valid token whose policies do not grant the operation: Vault's ACL error is a multierror,
   * so its text differs from the bare "permission denied" of a missing or unknown token.
   */
  static VaultResponse aclDenied() {
    return errors(403, "1 error occurred:\n\t* permission denied\n\n");
  }

  static VaultResponse unsupportedOperation() {
    return errors(405, UNSUPPORTED_OPERATION);
  }

  /** A logical response carrying {@code data} (may be {@code null}). */
  static VaultResponse data(int status, String requestId, JsonNode data, String mountType) {
    return envelope(status, requestId, data, List.of(), null, mountType);
  }

  /**
   * The envelope every successful logical response has, in Vault's field order.
   *
   * @param warnings empty gives {@code "warnings":null} as Vault writes it
   */
  static VaultResponse envelope(
      int status,
      String requestId,
      JsonNode data,
      List<String> warnings,
      JsonNode auth,
      String mountType) {
    ObjectNode body = Json.object();
    body.put("request_id", requestId);
    body.put("lease_id", "");
    body.put("renewable", false);
    body.put("lease_duration", 0);
    body.set("data", data == null ? NullNode.getInstance() : data);
    body.putNull("wrap_info");
    if (warnings.isEmpty()) {
      body.putNull("warnings");
    } else {
      ArrayNode list = body.putArray("warnings");
      warnings.forEach(list::add);
    }
    body.set("auth", auth == null ? NullNode.getInstance() : auth);
    body.put("mount_type", mountType);
    return new VaultResponse(status, body);
  }

  /** Go's multierror text, which Vault puts in {@code errors} when a check finds several faults. */
  static String multiError(List<String> problems) {
    StringBuilder text =
        new StringBuilder()
            .append(problems.size())
            .append(problems.size() == 1 ? " error occurred:\n" : " errors occurred:\n");
    for (String problem : problems) {
      text.append("\t* ").append(problem).append('\n');
    }
    return text.append('\n').toString();
  }
}
