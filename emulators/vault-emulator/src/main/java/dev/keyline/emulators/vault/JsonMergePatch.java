package dev.keyline.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * RFC 7386 JSON merge patch, what Vault applies for {@code PATCH .../data/<path>}.
 *
 * <p>Why: a patch must keep untouched keys and remove keys set to {@code null}; a plain overwrite
 * would hide client bugs that real Vault exposes.
 */
final class JsonMergePatch {

  private JsonMergePatch() {}

  /** Returns the patched copy; {@code target} is not modified. */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!(patch instanceof ObjectNode patchObject)) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target instanceof ObjectNode targetObject ? targetObject.deepCopy() : Json.object();
    for (Map.Entry<String, JsonNode> entry : patchObject.properties()) {
      if (entry.getValue().isNull()) {
        result.remove(entry.getKey());
      } else {
        result.set(entry.getKey(), apply(result.get(entry.getKey()), entry.getValue()));
      }
    }
    return result;
  }
}
