package dev.keyline.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.emulators.nodeclient.NodeScript;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KV v2 calls the services make, through hashi-vault-js (npm, pinned in src/test/node): a
 * Vault client written by others, with its own idea of each request (POST data with
 * {@code options.cas}, GET {@code ?version=}, the LIST verb, POST delete/undelete/destroy with
 * {@code versions}, DELETE metadata). Next to {@link VaultApiContractTest}, which sends our own
 * requests: an emulator that only understood our requests would pass that one and fail this one.
 */
class NodeVaultClientTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String MOUNT = "secret";
  private static VaultEmulator vault;

  @BeforeAll
  static void start() {
    vault = VaultEmulator.start();
  }

  @AfterAll
  static void stop() {
    vault.close();
  }

  /** Runs the steps in one node process; returns one result per step. */
  private static List<JsonNode> run(ObjectNode... steps) {
    ObjectNode plan = MAPPER.createObjectNode();
    plan.put("baseUrl", vault.url() + "/v1");
    plan.put("mount", MOUNT);
    ArrayNode array = plan.putArray("steps");
    for (ObjectNode step : steps) {
      array.add(step);
    }
    JsonNode results = NodeScript.run("vault-kv.mjs", plan, Map.of()).path("results");
    assertThat(results.size()).isEqualTo(steps.length);
    return MAPPER.convertValue(results, MAPPER.getTypeFactory().constructCollectionType(List.class, JsonNode.class));
  }

  private static ObjectNode step(String op, String name) {
    return step(op, name, vault.token());
  }

  private static ObjectNode step(String op, String name, String token) {
    ObjectNode step = MAPPER.createObjectNode();
    step.put("op", op);
    step.put("token", token);
    step.put("name", name);
    return step;
  }

  private static ObjectNode write(String op, String name, String value) {
    ObjectNode step = step(op, name);
    step.putObject("data").put("value", value);
    return step;
  }

  private static ObjectNode versions(String op, String name, int... versions) {
    ObjectNode step = step(op, name);
    ArrayNode array = step.putArray("versions");
    for (int version : versions) {
      array.add(version);
    }
    return step;
  }

  private static void assertFailed(JsonNode result, int status) {
    assertThat(result.path("ok").asBoolean()).as("%s", result).isFalse();
    assertThat(result.path("status").asInt()).as("%s", result).isEqualTo(status);
  }

  @Test
  void writesWithCheckAndSetThenReadsVersionsMetadataAndTheFolder() {
    String key = "node/cas/app-1";
    ObjectNode secondCreate = write("create", key, "other");
    ObjectNode update = write("update", key, "two");
    update.put("cas", 1);
    ObjectNode staleUpdate = write("update", key, "stale");
    staleUpdate.put("cas", 1);
    ObjectNode readV1 = step("read", key);
    readV1.put("version", 1);

    List<JsonNode> r =
        run(
            write("create", key, "one"),
            secondCreate,
            update,
            staleUpdate,
            readV1,
            step("read", key),
            step("metadata", key),
            step("list", "node/cas"));

    assertThat(r.get(0).path("value").path("version").asInt()).isEqualTo(1);
    // create sends cas 0: only while the key does not exist
    assertFailed(r.get(1), 400);
    assertThat(r.get(1).path("body").path("errors").toString()).contains("check-and-set");
    assertThat(r.get(2).path("value").path("version").asInt()).isEqualTo(2);
    assertFailed(r.get(3), 400);
    assertThat(r.get(4).path("value").path("data").path("value").asText()).isEqualTo("one");
    assertThat(r.get(4).path("value").path("metadata").path("version").asInt()).isEqualTo(1);
    assertThat(r.get(5).path("value").path("data").path("value").asText()).isEqualTo("two");
    JsonNode metadata = r.get(6).path("value");
    assertThat(metadata.path("current_version").asInt()).isEqualTo(2);
    assertThat(metadata.path("versions").has("1")).isTrue();
    assertThat(metadata.path("versions").has("2")).isTrue();
    assertThat(r.get(7).path("value").path("keys").toString()).isEqualTo("[\"app-1\"]");

    // the refused writes stored nothing
    SortedMap<Integer, SecretVersion> stored = vault.versions(MOUNT, key);
    assertThat(stored.keySet()).containsExactly(1, 2);
    assertThat(stored.get(2).data()).isEqualTo(Map.of("value", "two"));
  }

  @Test
  void deletesUndeletesDestroysAndRemovesTheMetadata() {
    String key = "node/lifecycle/app-2";
    vault.writeSecret(MOUNT, key, Map.of("value", "1"));
    vault.writeSecret(MOUNT, key, Map.of("value", "2"));
    vault.writeSecret(MOUNT, key, Map.of("value", "3"));
    ObjectNode readV1 = step("read", key);
    readV1.put("version", 1);

    List<JsonNode> r =
        run(
            versions("delete", key, 3),
            step("read", key),
            versions("undelete", key, 3),
            step("read", key),
            versions("destroy", key, 1),
            readV1,
            step("deleteLatest", key),
            step("read", key));

    assertThat(r.get(0).path("value").path("status").asInt()).isEqualTo(204);
    assertFailed(r.get(1), 404);
    assertThat(r.get(1).path("body").path("data").path("metadata").path("deletion_time").asText()).isNotEmpty();
    assertThat(r.get(2).path("value").path("status").asInt()).isEqualTo(204);
    assertThat(r.get(3).path("value").path("data").path("value").asText()).isEqualTo("3");
    assertThat(r.get(4).path("value").path("status").asInt()).isEqualTo(204);
    assertFailed(r.get(5), 404);
    assertThat(r.get(5).path("body").path("data").path("metadata").path("destroyed").asBoolean()).isTrue();
    assertThat(r.get(6).path("value").path("status").asInt()).isEqualTo(204);
    assertFailed(r.get(7), 404);

    SortedMap<Integer, SecretVersion> stored = vault.versions(MOUNT, key);
    assertThat(stored.get(1).destroyed()).isTrue();
    assertThat(stored.get(1).data()).isNull();
    assertThat(stored.get(2).deleted()).isFalse();
    assertThat(stored.get(3).deleted()).isTrue();

    List<JsonNode> gone = run(step("deleteMetadata", key), step("metadata", key), step("list", "node/lifecycle"));
    assertThat(gone.get(0).path("value").path("status").asInt()).isEqualTo(204);
    assertFailed(gone.get(1), 404);
    assertFailed(gone.get(2), 404);
    assertThat(vault.secretPaths(MOUNT)).doesNotContain(key);
  }

  @Test
  void aWrongTokenIs403PermissionDeniedAndChangesNothing() {
    String key = "node/denied/app-3";
    vault.writeSecret(MOUNT, key, Map.of("value", "kept"));
    String wrong = "hvs.not-a-token-of-this-vault";
    ObjectNode write = step("update", key, wrong);
    write.putObject("data").put("value", "overwritten");
    write.put("cas", 1);

    List<JsonNode> r =
        run(
            step("read", key, wrong),
            write,
            step("metadata", key, wrong),
            step("list", "node/denied", wrong),
            versionsWithToken("destroy", key, wrong, 1),
            step("deleteMetadata", key, wrong));

    for (JsonNode result : r) {
      assertFailed(result, 403);
      assertThat(result.path("body").path("errors").toString()).isEqualTo("[\"permission denied\"]");
    }
    SortedMap<Integer, SecretVersion> stored = vault.versions(MOUNT, key);
    assertThat(stored.keySet()).containsExactly(1);
    assertThat(stored.get(1).data()).isEqualTo(Map.of("value", "kept"));
    assertThat(stored.get(1).destroyed()).isFalse();
  }

  private static ObjectNode versionsWithToken(String op, String name, String token, int... versions) {
    ObjectNode step = versions(op, name, versions);
    step.put("token", token);
    return step;
  }
}
