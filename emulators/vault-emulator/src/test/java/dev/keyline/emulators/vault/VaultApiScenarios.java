package dev.keyline.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.emulators.vault.VaultHttp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vault API behaviour our services rely on, written once against an abstract target.
 *
 * <p>Why abstract: {@link VaultApiContractTest} runs these scenarios against the emulator always
 * and against a real Vault when one is configured; a scenario that passes on one and fails on the
 * other is an emulator bug. Only behaviour real Vault shows goes here; emulator extras (faults,
 * read access) are tested in {@link VaultEmulatorTest}.
 *
 * <p>Every key lives under a unique prefix and is removed (metadata and all versions) after each
 * test, so a shared real Vault is left as it was found.
 */
abstract class VaultApiScenarios {

  /** Where to send requests: base address, a token allowed to do everything, a KV v2 mount. */
  record VaultTarget(String address, String token, String mount) {}

  private final List<String> writtenKeys = new ArrayList<>();
  private final String prefix = "vault-emulator-contract-" + UUID.randomUUID() + "/";
  private VaultTarget target;
  private String mount;
  protected VaultHttp vault;

  /** Called before each test. */
  protected abstract VaultTarget open();

  /** Called after each test, after the test's keys were removed. */
  protected void close() {}

  @BeforeEach
  final void connect() {
    target = open();
    mount = target.mount();
    vault = new VaultHttp(target.address(), target.token());
  }

  @AfterEach
  final void removeWrittenKeysAndClose() {
    try {
      for (String key : writtenKeys) {
        vault.delete(mount + "/metadata/" + key);
      }
    } finally {
      close();
    }
  }

  // ---- write and read ----------------------------------------------------------------------

  @Test
  void writeAnswersVersionMetadataAndReadReturnsTheData() {
    String key = key("app/db");

    Reply write =
        vault.post(
            data(key), "{\"data\":{\"user\":\"svc\",\"port\":5432,\"nested\":{\"tls\":true}}}");

    assertThat(write.status()).isEqualTo(200);
    assertThat(write.data().path("version").asInt()).isEqualTo(1);
    assertThat(write.data().path("created_time").asText()).isNotEmpty();
    assertThat(write.data().path("deletion_time").asText()).isEmpty();
    assertThat(write.data().path("destroyed").asBoolean(true)).isFalse();
    assertThat(write.data().path("custom_metadata").isNull()).isTrue();
    assertThat(write.body().path("lease_id").asText("x")).isEmpty();
    assertThat(write.body().path("renewable").asBoolean(true)).isFalse();

    Reply read = vault.get(data(key));

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().path("request_id").asText()).isNotEmpty();
    assertThat(read.data().path("data"))
        .isEqualTo(VaultHttp.json("{\"user\":\"svc\",\"port\":5432,\"nested\":{\"tls\":true}}"));
    JsonNode metadata = read.data().path("metadata");
    assertThat(metadata.path("version").asInt()).isEqualTo(1);
    assertThat(metadata.path("created_time").asText())
        .isEqualTo(write.data().path("created_time").asText());
    assertThat(metadata.path("deletion_time").asText()).isEmpty();
    assertThat(metadata.path("destroyed").asBoolean(true)).isFalse();
  }

  @Test
  void putWritesLikePost() {
    String key = key("put");

    Reply write = vault.put(data(key), "{\"data\":{\"a\":\"b\"}}");

    assertThat(write.status()).isEqualTo(200);
    assertThat(vault.get(data(key)).data().path("data").path("a").asText()).isEqualTo("b");
  }

  @Test
  void readOfAbsentKeyIs404WithEmptyErrors() {
    Reply read = vault.get(data(key("absent")));

    assertThat(read.status()).isEqualTo(404);
    assertThat(read.body()).isEqualTo(VaultHttp.json("{\"errors\":[]}"));
  }

  @Test
  void everyWriteIsANewVersionReadableByNumber() {
    String key = key("versions");
    vault.post(data(key), "{\"data\":{\"v\":\"one\"}}");

    Reply second = vault.post(data(key), "{\"data\":{\"v\":\"two\"}}");

    assertThat(second.data().path("version").asInt()).isEqualTo(2);
    assertThat(vault.get(data(key)).data().path("data").path("v").asText()).isEqualTo("two");
    Reply first = vault.get(data(key) + "?version=1");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.data().path("data").path("v").asText()).isEqualTo("one");
    assertThat(first.data().path("metadata").path("version").asInt()).isEqualTo(1);
    assertThat(vault.get(data(key) + "?version=3").status()).isEqualTo(404);
  }

  @Test
  void checkAndSetAcceptsTheCurrentVersionAndRejectsAnyOther() {
    String key = key("cas");

    assertThat(vault.post(data(key), "{\"options\":{\"cas\":0},\"data\":{\"n\":\"1\"}}").status())
        .isEqualTo(200);

    Reply createAgain = vault.post(data(key), "{\"options\":{\"cas\":0},\"data\":{\"n\":\"x\"}}");
    assertThat(createAgain.status()).isEqualTo(400);
    assertThat(createAgain.firstError())
        .isEqualTo("check-and-set parameter did not match the current version");

    Reply update = vault.post(data(key), "{\"options\":{\"cas\":1},\"data\":{\"n\":\"2\"}}");
    assertThat(update.status()).isEqualTo(200);
    assertThat(update.data().path("version").asInt()).isEqualTo(2);

    Reply stale = vault.post(data(key), "{\"options\":{\"cas\":1},\"data\":{\"n\":\"x\"}}");
    assertThat(stale.status()).isEqualTo(400);
    assertThat(stale.firstError())
        .isEqualTo("check-and-set parameter did not match the current version");
    assertThat(vault.get(data(key)).data().path("data").path("n").asText()).isEqualTo("2");
  }

  @Test
  void casRequiredOnAKeyRejectsWritesWithoutCas() {
    String key = key("cas-required");
    assertThat(vault.post(metadata(key), "{\"cas_required\":true}").status()).isEqualTo(204);

    Reply withoutCas = vault.post(data(key), "{\"data\":{\"a\":\"b\"}}");

    assertThat(withoutCas.status()).isEqualTo(400);
    assertThat(withoutCas.firstError()).isEqualTo("check-and-set parameter required for this call");
    assertThat(vault.post(data(key), "{\"options\":{\"cas\":0},\"data\":{\"a\":\"b\"}}").status())
        .isEqualTo(200);
  }

  @Test
  void writeWithoutDataOrWithInvalidJsonIsRejectedAndStoresNothing() {
    String key = key("rejected");

    Reply noData = vault.post(data(key), "{\"options\":{}}");
    assertThat(noData.status()).isEqualTo(400);
    assertThat(noData.firstError()).isEqualTo("no data provided");

    Reply emptyBody = vault.post(data(key), "");
    assertThat(emptyBody.status()).isEqualTo(400);

    Reply invalid = vault.post(data(key), "{\"data\": {not json");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body().path("errors").isArray()).isTrue();

    assertThat(vault.get(data(key)).status()).isEqualTo(404);
    assertThat(vault.get(metadata(key)).status()).isEqualTo(404);
  }

  // ---- delete, undelete, destroy -----------------------------------------------------------

  @Test
  void softDeletedLatestVersionIs404WithMetadataUntilUndeleted() {
    String key = key("soft-delete");
    vault.post(data(key), "{\"data\":{\"v\":\"one\"}}");
    vault.post(data(key), "{\"data\":{\"v\":\"two\"}}");

    assertThat(vault.delete(data(key)).status()).isEqualTo(204);

    Reply deleted = vault.get(data(key));
    assertThat(deleted.status()).isEqualTo(404);
    assertThat(deleted.data().path("data").isNull()).isTrue();
    assertThat(deleted.data().path("metadata").path("version").asInt()).isEqualTo(2);
    assertThat(deleted.data().path("metadata").path("deletion_time").asText()).isNotEmpty();
    assertThat(deleted.data().path("metadata").path("destroyed").asBoolean(true)).isFalse();
    assertThat(vault.get(data(key) + "?version=1").status()).isEqualTo(200);

    assertThat(vault.post(undelete(key), "{\"versions\":[2]}").status()).isEqualTo(204);

    Reply restored = vault.get(data(key));
    assertThat(restored.status()).isEqualTo(200);
    assertThat(restored.data().path("data").path("v").asText()).isEqualTo("two");
    assertThat(restored.data().path("metadata").path("deletion_time").asText()).isEmpty();
  }

  @Test
  void deleteAndDestroyActOnTheGivenVersionsOnly() {
    String key = key("destroy");
    vault.post(data(key), "{\"data\":{\"v\":\"1\"}}");
    vault.post(data(key), "{\"data\":{\"v\":\"2\"}}");
    vault.post(data(key), "{\"data\":{\"v\":\"3\"}}");

    assertThat(vault.post(delete(key), "{\"versions\":[1]}").status()).isEqualTo(204);
    assertThat(vault.post(destroy(key), "{\"versions\":[2]}").status()).isEqualTo(204);

    assertThat(vault.get(data(key) + "?version=1").status()).isEqualTo(404);
    Reply destroyed = vault.get(data(key) + "?version=2");
    assertThat(destroyed.status()).isEqualTo(404);
    assertThat(destroyed.data().path("data").isNull()).isTrue();
    assertThat(destroyed.data().path("metadata").path("destroyed").asBoolean()).isTrue();
    assertThat(vault.get(data(key)).data().path("data").path("v").asText()).isEqualTo("3");

    JsonNode versions = vault.get(metadata(key)).data().path("versions");
    assertThat(versions.path("1").path("deletion_time").asText()).isNotEmpty();
    assertThat(versions.path("2").path("destroyed").asBoolean()).isTrue();
    assertThat(versions.path("3").path("deletion_time").asText()).isEmpty();
    assertThat(versions.path("3").path("destroyed").asBoolean(true)).isFalse();
  }

  @Test
  void deleteUndeleteAndDestroyNeedVersions() {
    String key = key("no-versions");
    vault.post(data(key), "{\"data\":{\"v\":\"1\"}}");

    assertThat(vault.post(delete(key), "{}").status()).isEqualTo(400);
    assertThat(vault.post(undelete(key), "{}").status()).isEqualTo(400);
    assertThat(vault.post(destroy(key), "{\"versions\":[]}").status()).isEqualTo(400);
    assertThat(vault.get(data(key)).status()).isEqualTo(200);
  }

  // ---- metadata ----------------------------------------------------------------------------

  @Test
  void metadataDescribesTheKeyAndItsDeleteRemovesEveryVersion() {
    String key = key("metadata");
    vault.post(data(key), "{\"data\":{\"v\":\"1\"}}");
    vault.post(data(key), "{\"data\":{\"v\":\"2\"}}");

    Reply meta = vault.get(metadata(key));

    assertThat(meta.status()).isEqualTo(200);
    JsonNode data = meta.data();
    assertThat(data.path("current_version").asInt()).isEqualTo(2);
    assertThat(data.path("oldest_version").asInt()).isEqualTo(0);
    assertThat(data.path("max_versions").asInt()).isEqualTo(0);
    assertThat(data.path("cas_required").asBoolean(true)).isFalse();
    assertThat(data.path("delete_version_after").asText()).isEqualTo("0s");
    assertThat(data.path("created_time").asText()).isNotEmpty();
    assertThat(data.path("updated_time").asText()).isNotEmpty();
    assertThat(data.path("custom_metadata").isNull()).isTrue();
    assertThat(data.path("versions").has("1")).isTrue();
    assertThat(data.path("versions").has("2")).isTrue();

    assertThat(vault.delete(metadata(key)).status()).isEqualTo(204);

    assertThat(vault.get(metadata(key)).status()).isEqualTo(404);
    assertThat(vault.get(data(key)).status()).isEqualTo(404);
    assertThat(vault.get(data(key) + "?version=1").status()).isEqualTo(404);
    Reply rewrite = vault.post(data(key), "{\"data\":{\"v\":\"again\"}}");
    assertThat(rewrite.data().path("version").asInt()).isEqualTo(1);
  }

  @Test
  void customMetadataIsReturnedWithEveryVersion() {
    String key = key("custom");
    vault.post(data(key), "{\"data\":{\"v\":\"1\"}}");

    assertThat(vault.post(metadata(key), "{\"custom_metadata\":{\"owner\":\"team-a\"}}").status())
        .isEqualTo(204);

    assertThat(vault.get(data(key)).data().path("metadata").path("custom_metadata"))
        .isEqualTo(VaultHttp.json("{\"owner\":\"team-a\"}"));
    assertThat(vault.get(metadata(key)).data().path("custom_metadata"))
        .isEqualTo(VaultHttp.json("{\"owner\":\"team-a\"}"));
  }

  @Test
  void maxVersionsOnAKeyPrunesTheOldest() {
    String key = key("max-versions");
    vault.post(metadata(key), "{\"max_versions\":2}");
    for (int i = 1; i <= 3; i++) {
      vault.post(data(key), "{\"data\":{\"v\":\"" + i + "\"}}");
    }

    JsonNode meta = vault.get(metadata(key)).data();

    assertThat(meta.path("current_version").asInt()).isEqualTo(3);
    assertThat(meta.path("oldest_version").asInt()).isEqualTo(2);
    assertThat(meta.path("versions").has("1")).isFalse();
    assertThat(vault.get(data(key) + "?version=1").status()).isEqualTo(404);
    assertThat(vault.get(data(key) + "?version=2").status()).isEqualTo(200);
  }

  // ---- list --------------------------------------------------------------------------------

  @Test
  void listShowsDirectChildrenWithFoldersEndingInASlash() {
    String base = key("list");
    key("list/a");
    key("list/folder/b");
    key("list/folder/deeper/c");
    vault.post(data(base + "/a"), "{\"data\":{\"x\":\"1\"}}");
    vault.post(data(base + "/folder/b"), "{\"data\":{\"x\":\"1\"}}");
    vault.post(data(base + "/folder/deeper/c"), "{\"data\":{\"x\":\"1\"}}");

    Reply listed = vault.list(metadata(base));

    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.data().path("keys")).isEqualTo(VaultHttp.json("[\"a\",\"folder/\"]"));
    assertThat(vault.get(metadata(base) + "?list=true").data().path("keys"))
        .isEqualTo(listed.data().path("keys"));
    assertThat(vault.list(metadata(base + "/folder/")).data().path("keys"))
        .isEqualTo(VaultHttp.json("[\"b\",\"deeper/\"]"));
  }

  @Test
  void softDeletedKeysAreStillListedButMetadataDeleteRemovesThem() {
    String base = key("list-deleted");
    String leaf = key("list-deleted/leaf");
    vault.post(data(leaf), "{\"data\":{\"x\":\"1\"}}");
    vault.delete(data(leaf));

    assertThat(vault.list(metadata(base)).data().path("keys"))
        .isEqualTo(VaultHttp.json("[\"leaf\"]"));

    vault.delete(metadata(leaf));
    Reply empty = vault.list(metadata(base));
    assertThat(empty.status()).isEqualTo(404);
    assertThat(empty.body()).isEqualTo(VaultHttp.json("{\"errors\":[]}"));
  }

  @Test
  void listOfAnEmptyFolderIs404() {
    Reply listed = vault.list(metadata(key("nothing-here")));

    assertThat(listed.status()).isEqualTo(404);
    assertThat(listed.body()).isEqualTo(VaultHttp.json("{\"errors\":[]}"));
  }

  // ---- patch and subkeys -------------------------------------------------------------------

  @Test
  void patchMergesIntoTheLatestVersionAndNeedsTheMergePatchContentType() {
    String key = key("patch");
    vault.post(data(key), "{\"data\":{\"a\":\"1\",\"b\":\"2\"}}");

    Reply patched =
        vault.patch(
            data(key), "{\"data\":{\"b\":null,\"c\":\"3\"}}", "application/merge-patch+json");

    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.data().path("version").asInt()).isEqualTo(2);
    assertThat(vault.get(data(key)).data().path("data"))
        .isEqualTo(VaultHttp.json("{\"a\":\"1\",\"c\":\"3\"}"));

    Reply wrongType = vault.patch(data(key), "{\"data\":{\"d\":\"4\"}}", "application/json");
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(vault.patch(data(key("patch-absent")), "{\"data\":{\"d\":\"4\"}}",
            "application/merge-patch+json").status())
        .isEqualTo(404);
  }

  @Test
  void subkeysShowTheStructureWithoutValues() {
    String key = key("subkeys");
    vault.post(data(key), "{\"data\":{\"db\":{\"user\":\"u\",\"password\":\"p\"},\"token\":\"t\"}}");

    Reply subkeys = vault.get(mount + "/subkeys/" + key);

    assertThat(subkeys.status()).isEqualTo(200);
    assertThat(subkeys.data().path("subkeys"))
        .isEqualTo(VaultHttp.json("{\"db\":{\"user\":null,\"password\":null},\"token\":null}"));
    assertThat(subkeys.raw()).doesNotContain("\"p\"").doesNotContain("\"t\"");
  }

  // ---- authentication ----------------------------------------------------------------------

  @Test
  void missingTokenIs403PermissionDeniedAndChangesNothing() {
    String key = key("no-token");
    VaultHttp anonymous = vault.withToken(null);

    Reply write = anonymous.post(data(key), "{\"data\":{\"a\":\"b\"}}");
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.firstError()).contains("permission denied");
    assertThat(anonymous.get(data(key)).status()).isEqualTo(403);
    assertThat(anonymous.list(metadata(key("")) ).status()).isEqualTo(403);
    assertThat(anonymous.delete(metadata(key)).status()).isEqualTo(403);

    assertThat(vault.get(data(key)).status()).isEqualTo(404);
  }

  @Test
  void wrongTokenIs403PermissionDenied() {
    String key = key("wrong-token");
    vault.post(data(key), "{\"data\":{\"a\":\"b\"}}");
    VaultHttp impostor = vault.withToken("hvs.NotARealToken" + UUID.randomUUID().toString().substring(0, 8));

    Reply read = impostor.get(data(key));

    assertThat(read.status()).isEqualTo(403);
    assertThat(read.firstError()).contains("permission denied");
    assertThat(read.raw()).doesNotContain("\"b\"");
    assertThat(impostor.post(data(key), "{\"data\":{\"a\":\"c\"}}").status()).isEqualTo(403);
    assertThat(vault.get(data(key)).data().path("data").path("a").asText()).isEqualTo("b");
  }

  @Test
  void lookupSelfDescribesTheCallersToken() {
    Reply self = vault.get("auth/token/lookup-self");

    assertThat(self.status()).isEqualTo(200);
    assertThat(self.data().path("id").asText()).isEqualTo(target.token());
    assertThat(self.data().path("policies").isArray()).isTrue();
    assertThat(vault.withToken(null).get("auth/token/lookup-self").status()).isEqualTo(403);
  }

  @Test
  void healthNeedsNoToken() {
    Reply health = vault.withToken(null).get("sys/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().path("initialized").asBoolean()).isTrue();
    assertThat(health.body().path("sealed").asBoolean(true)).isFalse();
    assertThat(health.body().path("standby").asBoolean(true)).isFalse();
    assertThat(vault.withToken(null).post("sys/health", "{}").status()).isEqualTo(405);
  }

  // ---- routing -----------------------------------------------------------------------------

  @Test
  void unknownMountIs404NoHandlerWithATokenAnd403Without() {
    String unknown = "no-such-mount-" + UUID.randomUUID() + "/data/x";

    Reply withToken = vault.get(unknown);
    assertThat(withToken.status()).isEqualTo(404);
    assertThat(withToken.firstError()).contains("no handler for route");

    assertThat(vault.withToken(null).get(unknown).status()).isEqualTo(403);
  }

  @Test
  void pathsOutsideTheKvV2ApiAre404AndWrongOperations405() {
    String key = key("routing");
    vault.post(data(key), "{\"data\":{\"a\":\"b\"}}");

    Reply bare = vault.get(mount + "/" + key);
    assertThat(bare.status()).isEqualTo(404);
    assertThat(bare.body().path("warnings").isArray()).isTrue();
    assertThat(vault.list(data(key)).status()).isEqualTo(404);
    assertThat(vault.delete(delete(key)).status()).isEqualTo(405);
    assertThat(vault.post(mount + "/subkeys/" + key, "{}").status()).isEqualTo(405);
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** A key below this test's unique prefix, remembered for clean-up. */
  protected String key(String name) {
    String key = prefix + name;
    if (!name.isEmpty()) {
      writtenKeys.add(key);
    }
    return key;
  }

  protected String data(String key) {
    return mount + "/data/" + key;
  }

  protected String metadata(String key) {
    return mount + "/metadata/" + key;
  }

  private String delete(String key) {
    return mount + "/delete/" + key;
  }

  private String undelete(String key) {
    return mount + "/undelete/" + key;
  }

  private String destroy(String key) {
    return mount + "/destroy/" + key;
  }
}
