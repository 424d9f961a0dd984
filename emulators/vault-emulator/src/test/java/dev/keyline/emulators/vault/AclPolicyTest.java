package dev.keyline.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.emulators.vault.VaultHttp.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACL policies: Vault's path matching and priority rules, the capability each request needs, the
 * HCL subset and its refusals, and the tokens they apply to (Kubernetes login, never root).
 */
class AclPolicyTest {

  static final String DENIED = "1 error occurred:\n\t* permission denied\n\n";
  static final String JSON_PATCH = "application/merge-patch+json";

  private VaultEmulator emulator;

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  /** Starts with role "app" (JWT "jwt") bound to the given policies; returns root's client. */
  private VaultHttp start(VaultEmulator.Config config) {
    emulator = VaultEmulator.start(config);
    return new VaultHttp(emulator.url(), emulator.token());
  }

  static String login(VaultHttp vault, String role, String jwt) {
    Reply login =
        vault.withToken(null).post(
            "auth/kubernetes/login", "{\"role\":\"" + role + "\",\"jwt\":\"" + jwt + "\"}");
    assertThat(login.status()).as(login.raw()).isEqualTo(200);
    return login.body().path("auth").path("client_token").asText();
  }

  private static Acl acl(String... pathsAndCapabilities) {
    StringBuilder hcl = new StringBuilder();
    for (int i = 0; i < pathsAndCapabilities.length; i += 2) {
      hcl.append("path \"")
          .append(pathsAndCapabilities[i])
          .append("\" { capabilities = [")
          .append(pathsAndCapabilities[i + 1])
          .append("] }\n");
    }
    return new Acl(List.of(AclPolicy.parse("p", hcl.toString(), "test")));
  }

  // ---- matching and priority ---------------------------------------------------------------

  @Test
  void exactGlobAndSegmentWildcardsMatchAsInVault() {
    assertThat(Acl.matches("secret/data/a", "secret/data/a")).isTrue();
    assertThat(Acl.matches("secret/data/a", "secret/data/a/b")).isFalse();
    assertThat(Acl.matches("secret/data/a", "secret/data/ab")).isFalse();
    // The glob is a plain prefix, not a segment: zip-* covers zip-zap/zong, bar/* not bar itself.
    assertThat(Acl.matches("secret/zip-*", "secret/zip-zap/zong")).isTrue();
    assertThat(Acl.matches("secret/bar/*", "secret/bar/zip/zap")).isTrue();
    assertThat(Acl.matches("secret/bar/*", "secret/bar")).isFalse();
    assertThat(Acl.matches("secret/bar/*", "secret/bars/zip")).isFalse();
    assertThat(Acl.matches("secret/bar/*", "secret/bar/")).isTrue();
    // + is exactly one segment.
    assertThat(Acl.matches("secret/+/teamb", "secret/foo/teamb")).isTrue();
    assertThat(Acl.matches("secret/+/teamb", "secret/foo/bar/teamb")).isFalse();
    assertThat(Acl.matches("secret/+/+/teamb", "secret/foo/bar/teamb")).isTrue();
    assertThat(Acl.matches("secret/+/team*", "secret/foo/teamb/x")).isTrue();
    assertThat(Acl.matches("secret/+/*", "secret/foo")).isFalse();
    assertThat(Acl.matches("secret/+/*", "secret/foo/x/y")).isTrue();
    // A + inside a segment is a literal character.
    assertThat(Acl.matches("secret/a+c", "secret/a+c")).isTrue();
    assertThat(Acl.matches("secret/a+c", "secret/abc")).isFalse();
  }

  @Test
  void theMostSpecificPatternDecidesByVaultsPriorityRules() {
    // Exact beats a glob covering it, even a deny-free broader grant: only read applies here.
    Acl exact = acl("secret/*", "\"read\", \"update\"", "secret/foo", "\"read\"");
    assertThat(exact.allows("secret/foo", Capability.UPDATE)).isFalse();
    assertThat(exact.allows("secret/other", Capability.UPDATE)).isTrue();
    // Rule 1: the first wildcard later wins (the longer glob prefix).
    Acl longer = acl("secret/*", "\"read\"", "secret/app/*", "\"list\"");
    assertThat(longer.applyingPattern("secret/app/x")).contains("secret/app/*");
    assertThat(longer.allows("secret/app/x", Capability.READ)).isFalse();
    // Rule 1 again: "+" at the second segment loses to a glob starting later.
    Acl plusEarly = acl("secret/+/x", "\"read\"", "secret/app/*", "\"list\"");
    assertThat(plusEarly.applyingPattern("secret/app/x")).contains("secret/app/*");
    // Rule 2: same first wildcard position, the pattern not ending in * wins.
    Acl endsInStar = acl("secret/+/x*", "\"read\"", "secret/+/x", "\"list\"");
    assertThat(endsInStar.applyingPattern("secret/a/x")).contains("secret/+/x");
    // Rule 3: fewer + segments win.
    Acl morePlus = acl("secret/+/+/c", "\"read\"", "secret/+/b/c", "\"list\"");
    assertThat(morePlus.applyingPattern("secret/a/b/c")).contains("secret/+/b/c");
    // Rule 4: the longer pattern wins.
    Acl longerGlob = acl("secret/+/b*", "\"read\"", "secret/+/bc*", "\"list\"");
    assertThat(longerGlob.applyingPattern("secret/a/bcd")).contains("secret/+/bc*");
    // Rule 5: all else equal, the lexicographically larger wins ('b' sorts after '+').
    Acl lexical = acl("a/+/+/c", "\"read\"", "a/+/b/+", "\"list\"");
    assertThat(lexical.applyingPattern("a/x/b/c")).contains("a/+/b/+");
    assertThat(lexical.allows("a/x/b/c", Capability.READ)).isFalse();
  }

  @Test
  void theSamePatternInTwoPoliciesHasTheUnionAndDenyWinsOverIt() {
    AclPolicy reads = AclPolicy.parse("r", "path \"kv/a\" { capabilities = [\"read\"] }", "t");
    AclPolicy writes = AclPolicy.parse("w", "path \"kv/a\" { capabilities = [\"update\"] }", "t");
    AclPolicy denies = AclPolicy.parse("d", "path \"kv/a\" { capabilities = [\"deny\"] }", "t");
    Acl union = new Acl(List.of(reads, writes));
    assertThat(union.allows("kv/a", Capability.READ)).isTrue();
    assertThat(union.allows("kv/a", Capability.UPDATE)).isTrue();
    Acl denied = new Acl(List.of(reads, writes, denies));
    assertThat(denied.allows("kv/a", Capability.READ)).isFalse();
    assertThat(new Acl(List.of()).allows("kv/a", Capability.READ)).isFalse();
  }

  // ---- the HCL subset ----------------------------------------------------------------------

  @Test
  void theSubsetParsesWithAllCommentStyles() {
    AclPolicy policy =
        AclPolicy.parse(
            "p",
            """
            # hash
            // slashes
            /* block
               comment */
            path "secret/data/a/*" {
              capabilities = ["create", "read", "update", "delete", "list", "patch",]
            }
            path "secret/data/a/*" { capabilities = ["deny"] }
            path "/secret/metadata/+/x" { capabilities = ["list"] }
            """,
            "t");
    assertThat(policy.rules())
        .containsOnlyKeys("secret/data/a/*", "secret/metadata/+/x")
        .containsEntry("secret/metadata/+/x", java.util.Set.of(Capability.LIST));
    assertThat(policy.rules().get("secret/data/a/*")).hasSize(7);
  }

  @Test
  void anythingOutsideTheSubsetIsRefusedWithItsLine() {
    Map<String, String> refused =
        Map.ofEntries(
            Map.entry(
                "path \"a\" {\n  capabilities = [\"read\"]\n  allowed_parameters = { \"x\" = [] }\n}",
                "line 3: \"allowed_parameters\" is not supported"),
            Map.entry(
                "path \"a\" { capabilities = [\"read\"] denied_parameters = {} }",
                "\"denied_parameters\" is not supported"),
            Map.entry(
                "path \"a\" { capabilities = [\"read\"] required_parameters = [] }",
                "\"required_parameters\" is not supported"),
            Map.entry(
                "path \"a\" { capabilities = [\"read\"] max_wrapping_ttl = \"1h\" }",
                "\"max_wrapping_ttl\" is not supported"),
            Map.entry("path \"a\" { policy = \"write\" }", "the old \"policy = ...\" form"),
            Map.entry("path \"a\" { capabilities = [\"sudo\"] }", "capability \"sudo\" is not supported"),
            Map.entry("path \"a\" { capabilities = [\"write\"] }", "unknown capability \"write\""),
            Map.entry("path \"a\" { capabilities = [] }", "empty capabilities list"),
            Map.entry("path \"a\" { }", "has no capabilities"),
            Map.entry("path \"a/*/b\" { capabilities = [\"read\"] }", "only allowed at the end"),
            Map.entry("path \"a/+*\" { capabilities = [\"read\"] }", "\"+*\" is not supported"),
            Map.entry(
                "path \"a/{{identity.entity.id}}/*\" { capabilities = [\"read\"] }",
                "templated policy paths"),
            Map.entry("{\"path\": {}}", "JSON policies are not supported"),
            Map.entry("name = \"x\"", "unexpected \"name\""),
            Map.entry("path \"a\" { capabilities = [\"read\"]", "unexpected end of file"),
            Map.entry("", "no path rules"));
    refused.forEach(
        (hcl, message) ->
            assertThatThrownBy(() -> new VaultEmulator.Config().policy("p", hcl))
                .as(hcl)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy \"p\"")
                .hasMessageContaining(message));
    assertThatThrownBy(() -> new VaultEmulator.Config().policy("default", "path \"a\" { capabilities = [\"read\"] }"))
        .hasMessageContaining("built in");
    assertThatThrownBy(
            () ->
                VaultEmulator.start(
                    new VaultEmulator.Config().kubernetesRole("app", "jwt", "missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names policy \"missing\", which was not loaded");
  }

  // ---- enforcement over HTTP ---------------------------------------------------------------

  @Test
  void eachCapabilityGuardsItsOperationsAndAWriteIsCreateOnlyWhileTheKeyIsAbsent() {
    VaultHttp root =
        start(
            new VaultEmulator.Config()
                .policy("c", "path \"secret/data/c/*\" { capabilities = [\"create\"] }")
                .policy("u", "path \"secret/data/u/*\" { capabilities = [\"update\"] }")
                .policy("r", "path \"secret/data/r/*\" { capabilities = [\"read\"] }")
                .policy(
                    "l",
                    "path \"secret/metadata/l/*\" { capabilities = [\"list\"] }\n"
                        + "path \"secret/metadata/m\" { capabilities = [\"list\"] }")
                .policy("d", "path \"secret/data/d/*\" { capabilities = [\"delete\"] }")
                .policy("p", "path \"secret/data/p/*\" { capabilities = [\"patch\"] }")
                .kubernetesRole("app", "jwt", "c", "u", "r", "l", "d", "p"));
    VaultHttp app = root.withToken(login(root, "app", "jwt"));
    for (String dir : List.of("u", "r", "l", "d", "p")) {
      root.post("secret/data/" + dir + "/k", "{\"data\":{\"v\":\"1\"}}");
    }
    String write = "{\"data\":{\"v\":\"2\"}}";

    // create: a new key only; the same key again is an update, which "c" does not grant.
    assertThat(app.post("secret/data/c/k", write).status()).isEqualTo(200);
    Reply again = app.put("secret/data/c/k", write);
    assertThat(again.status()).isEqualTo(403);
    assertThat(again.firstError()).isEqualTo(DENIED);
    // update: an existing key only; a new one would be a create.
    assertThat(app.post("secret/data/u/k", write).status()).isEqualTo(200);
    assertThat(app.post("secret/data/u/new", write).status()).isEqualTo(403);
    assertThat(app.get("secret/data/u/k").status()).isEqualTo(403);
    // read
    assertThat(app.get("secret/data/r/k").status()).isEqualTo(200);
    assertThat(app.post("secret/data/r/k", write).status()).isEqualTo(403);
    // list, by LIST and by GET ?list=true; the folder itself through its trailing slash
    assertThat(app.list("secret/metadata/l").status()).isEqualTo(200);
    assertThat(app.get("secret/metadata/l?list=true").status()).isEqualTo(200);
    assertThat(app.get("secret/metadata/l/k").status()).isEqualTo(403);
    assertThat(app.list("secret/metadata/r").status()).isEqualTo(403);
    // A pattern without the trailing slash allows LIST too, as in Vault.
    root.post("secret/data/m/k", "{\"data\":{\"v\":\"1\"}}");
    assertThat(app.list("secret/metadata/m").status()).isEqualTo(200);
    assertThat(app.get("secret/metadata/m").status()).isEqualTo(403);
    // delete
    assertThat(app.delete("secret/data/d/k").status()).isEqualTo(204);
    assertThat(app.delete("secret/data/r/k").status()).isEqualTo(403);
    // patch, and a patch is not an update
    assertThat(app.patch("secret/data/p/k", "{\"data\":{\"w\":\"3\"}}", JSON_PATCH).status())
        .isEqualTo(200);
    assertThat(app.patch("secret/data/u/k", "{\"data\":{\"w\":\"3\"}}", JSON_PATCH).status())
        .isEqualTo(403);
    // Nothing denied touched the data.
    assertThat(emulator.versions("secret", "u/new")).isEmpty();
    assertThat(emulator.versions("secret", "r/k")).hasSize(1);
    assertThat(emulator.versions("secret", "c/k")).hasSize(1);
  }

  @Test
  void denyOverridesABroaderGrantAndTheRootTokenIgnoresPolicies() {
    VaultHttp root =
        start(
            new VaultEmulator.Config()
                .policy(
                    "app",
                    """
                    path "secret/data/*" { capabilities = ["create", "read", "update"] }
                    path "secret/data/app/locked" { capabilities = ["deny"] }
                    """)
                .kubernetesRole("app", "jwt", "app"));
    VaultHttp app = root.withToken(login(root, "app", "jwt"));

    assertThat(app.post("secret/data/app/open", "{\"data\":{\"a\":\"1\"}}").status()).isEqualTo(200);
    assertThat(app.post("secret/data/app/locked", "{\"data\":{\"a\":\"1\"}}").status()).isEqualTo(403);
    assertThat(root.post("secret/data/app/locked", "{\"data\":{\"a\":\"1\"}}").status()).isEqualTo(200);
    assertThat(app.get("secret/data/app/locked").status()).isEqualTo(403);
    // The root token: every operation on every path, whatever the policies say.
    assertThat(root.get("secret/data/app/locked").status()).isEqualTo(200);
    assertThat(root.list("secret/metadata/app").status()).isEqualTo(200);
    assertThat(root.post("secret/destroy/app/locked", "{\"versions\":[1]}").status()).isEqualTo(204);
    assertThat(root.delete("secret/metadata/app/locked").status()).isEqualTo(204);
    assertThat(root.get("auth/token/lookup-self").data().path("policies").toString())
        .isEqualTo("[\"root\"]");
  }

  @Test
  void aTokenWithOnlyTheDefaultPolicyMayOnlyLookUpAndRenewItself() {
    VaultHttp root = start(new VaultEmulator.Config().kubernetesRole("bare", null));
    root.post("secret/data/x", "{\"data\":{\"a\":\"1\"}}");
    VaultHttp bare = root.withToken(login(root, "bare", "any"));

    assertThat(bare.get("auth/token/lookup-self").data().path("policies").toString())
        .isEqualTo("[\"default\"]");
    assertThat(bare.post("auth/token/renew-self", "{}").status()).isEqualTo(200);
    for (Reply denied :
        List.of(
            bare.get("secret/data/x"),
            bare.post("secret/data/y", "{\"data\":{\"a\":\"1\"}}"),
            bare.list("secret/metadata"),
            bare.delete("secret/metadata/x"),
            bare.get("secret/config"),
            bare.get("kv/data/x"))) {
      assertThat(denied.status()).as(denied.raw()).isEqualTo(403);
      assertThat(denied.firstError()).isEqualTo(DENIED);
    }
    // A path Vault has but the emulator does not serve stays 501, whatever the token.
    assertThat(bare.get("sys/mounts").status()).isEqualTo(501);
    // A missing or unknown token is still the plain "permission denied".
    assertThat(bare.withToken("nope").get("secret/data/x").firstError()).isEqualTo("permission denied");
  }

  // ---- the shipped policy ------------------------------------------------------------------

  /**
   * deploy/vault/policies/certificate-service.hcl: exactly the six operations its header lists on
   * the service's own subtree, nothing on connection-service's, no soft delete or undelete. The
   * file can be replaced with {@code -Dvault-policy-under-test=FILE} (to see this
   * test fail on an edited copy).
   */
  @Test
  void theShippedCertificateServicePolicyGrantsExactlyWhatItsHeaderLists() throws Exception {
    Path file =
        Path.of(
            System.getProperty(
                "vault-policy-under-test",
                "../../deploy/vault/policies/certificate-service.hcl"));
    VaultHttp root =
        start(
            new VaultEmulator.Config()
                .policyFile("certificate-service", file)
                .kubernetesRole("certificate-service", "sa-jwt", "certificate-service"));
    VaultHttp svc = root.withToken(login(root, "certificate-service", "sa-jwt"));
    String own = "keyline/certificate-service/certificates/";
    String other = "keyline/connection-service/connections/";
    root.post("secret/data/" + other + "c1", "{\"data\":{\"key\":\"theirs\"}}");

    // POST secret/data -> create (new key), then update (check-and-set on the existing one)
    assertThat(svc.post("secret/data/" + own + "a", "{\"options\":{\"cas\":0},\"data\":{\"k\":\"1\"}}").status())
        .isEqualTo(200);
    assertThat(svc.post("secret/data/" + own + "a", "{\"options\":{\"cas\":1},\"data\":{\"k\":\"2\"}}").status())
        .isEqualTo(200);
    // GET secret/data -> read
    assertThat(svc.get("secret/data/" + own + "a?version=1").data().path("data").path("k").asText())
        .isEqualTo("1");
    // LIST secret/metadata -> list (the readiness ping lists the prefix without a trailing slash)
    assertThat(svc.list("secret/metadata/keyline/certificate-service/certificates").status())
        .isEqualTo(200);
    // GET secret/metadata -> read
    assertThat(svc.get("secret/metadata/" + own + "a").data().path("current_version").asInt())
        .isEqualTo(2);
    // POST secret/destroy -> update
    assertThat(svc.post("secret/destroy/" + own + "a", "{\"versions\":[2]}").status()).isEqualTo(204);
    // DELETE secret/metadata -> delete
    assertThat(svc.delete("secret/metadata/" + own + "a").status()).isEqualTo(204);
    assertThat(emulator.secretPaths("secret")).containsExactly("keyline/connection-service/connections/c1");

    root.post("secret/data/" + own + "b", "{\"data\":{\"k\":\"1\"}}");
    // Not granted on its own subtree: soft delete, undelete, patch, metadata writes, subkeys.
    assertDenied(svc.post("secret/delete/" + own + "b", "{\"versions\":[1]}"));
    assertDenied(svc.delete("secret/data/" + own + "b"));
    assertDenied(svc.post("secret/undelete/" + own + "b", "{\"versions\":[1]}"));
    assertDenied(svc.patch("secret/data/" + own + "b", "{\"data\":{\"k\":\"2\"}}", JSON_PATCH));
    assertDenied(svc.post("secret/metadata/" + own + "b", "{\"max_versions\":1}"));
    assertDenied(svc.get("secret/subkeys/" + own + "b"));
    // Nothing on another service's subtree, nor above its own.
    assertDenied(svc.get("secret/data/" + other + "c1"));
    assertDenied(svc.post("secret/data/" + other + "c1", "{\"options\":{\"cas\":1},\"data\":{\"k\":\"x\"}}"));
    assertDenied(svc.post("secret/data/" + other + "c2", "{\"data\":{\"k\":\"x\"}}"));
    assertDenied(svc.list("secret/metadata/keyline/connection-service"));
    assertDenied(svc.get("secret/metadata/" + other + "c1"));
    assertDenied(svc.delete("secret/metadata/" + other + "c1"));
    assertDenied(svc.post("secret/destroy/" + other + "c1", "{\"versions\":[1]}"));
    assertDenied(svc.list("secret/metadata/keyline"));
    // The glob covers its own folder: LIST adds the trailing slash, "…/certificate-service/" matches.
    assertThat(svc.list("secret/metadata/keyline/certificate-service").status()).isEqualTo(200);
    assertThat(emulator.versions("secret", other + "c1")).hasSize(1);
    assertThat(emulator.versions("secret", other + "c1").get(1).data()).containsEntry("key", "theirs");
    assertThat(Files.exists(file)).isTrue();
  }

  private static void assertDenied(Reply reply) {
    assertThat(reply.status()).as(reply.raw()).isEqualTo(403);
    assertThat(reply.firstError()).isEqualTo(DENIED);
  }

  // ---- configuration -----------------------------------------------------------------------

  @Test
  void theCommandLineLoadsPolicyFilesAndBindsRolesToThem(@TempDir Path dir) throws Exception {
    Path policy = dir.resolve("app.hcl");
    Files.writeString(policy, "path \"secret/data/app/*\" { capabilities = [\"create\", \"read\"] }\n");
    try (VaultEmulator main =
        VaultEmulatorMain.start(
            new String[] {
              "--policy", "app=" + policy,
              "--kubernetes-role", "svc=the-jwt:app",
              "--kubernetes-role", "plain=other-jwt",
              "--kubernetes-role", "anyjwt:app"
            },
            System.out,
            System.err)) {
      VaultHttp root = new VaultHttp(main.url(), main.token());
      VaultHttp svc = root.withToken(login(root, "svc", "the-jwt"));
      assertThat(svc.get("auth/token/lookup-self").data().path("policies").toString())
          .isEqualTo("[\"default\",\"app\"]");
      assertThat(svc.post("secret/data/app/x", "{\"data\":{\"a\":\"1\"}}").status()).isEqualTo(200);
      assertThat(svc.get("secret/data/app/x").status()).isEqualTo(200);
      assertThat(svc.get("secret/data/other").status()).isEqualTo(403);
      VaultHttp plain = root.withToken(login(root, "plain", "other-jwt"));
      assertThat(plain.get("secret/data/app/x").status()).isEqualTo(403);
      VaultHttp any = root.withToken(login(root, "anyjwt", "whatever"));
      assertThat(any.get("secret/data/app/x").status()).isEqualTo(200);
    }
    Files.writeString(policy, "path \"a\" { capabilities = [\"sudo\"] }\n");
    assertThatThrownBy(
            () ->
                VaultEmulatorMain.start(
                    new String[] {"--policy", "app=" + policy}, System.out, System.err))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policy \"app\" (" + policy + ") line 1: capability \"sudo\"");
    assertThatThrownBy(
            () -> VaultEmulatorMain.start(new String[] {"--policy", "app"}, System.out, System.err))
        .hasMessageContaining("--policy needs NAME=FILE");
    assertThatThrownBy(
            () ->
                VaultEmulatorMain.start(
                    new String[] {"--policy", "app=" + dir.resolve("none.hcl")},
                    System.out,
                    System.err))
        .hasMessageContaining("cannot read policy file");
  }
}
