package dev.keyline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/vault: each policy grants only its service's KV subtree; setup.sh writes policies and roles. */
class VaultSetupTest {

    private static final Pattern PATH_BLOCK = Pattern.compile(
            "path\\s+\"([^\"]+)\"\\s*\\{\\s*capabilities\\s*=\\s*\\[([^\\]]*)\\]\\s*\\}");

    /** What the quarkus-vault KV v2 calls of a service need (see the table in each policy file). */
    private static final Map<String, Set<String>> EXPECTED = Map.of(
            "data", Set.of("create", "read", "update"),
            "metadata", Set.of("read", "list", "delete"),
            "destroy", Set.of("update"));

    @Test
    void eachPolicyGrantsExactlyItsOwnKvSubtree() {
        List<String> services = policyNames();
        assertThat(services).containsAll(List.of("certificate-service", "connection-service", "rotation-service"))
                .containsAll(Repo.services());
        for (String service : services) {
            String hcl = Repo.read(Repo.VAULT.resolve("policies").resolve(service + ".hcl"));
            Map<String, Set<String>> grants = parse(hcl);
            Map<String, Set<String>> expected = new LinkedHashMap<>();
            EXPECTED.forEach((kind, caps) -> expected.put("secret/" + kind + "/keyline/" + service + "/*", caps));
            assertThat(grants).as("policy %s", service).isEqualTo(expected);
            // Nothing outside the path blocks (a stray block with another syntax would not be parsed above).
            String rest = PATH_BLOCK.matcher(hcl.replaceAll("(?m)^\\s*#.*$", "")).replaceAll("").trim();
            assertThat(rest).as("policy %s has only path blocks", service).isEmpty();
        }
    }

    @Test
    void setupEnablesKvAndKubernetesAuthAndBindsEachServiceAccountToItsPolicy(@TempDir Path tmp) throws IOException {
        Path log = tmp.resolve("vault.log");
        Path bin = stubVault(tmp, log, false);
        Repo.run(List.of("bash", Repo.VAULT.resolve("setup.sh").toString()), env(bin, Map.of("KEYLINE_NAMESPACE", "keyline-test")));
        String calls = Files.readString(log);

        assertThat(calls).contains("secrets enable -path=secret -version=2 kv\n");
        assertThat(calls).contains("auth enable kubernetes\n");
        assertThat(calls).contains("write auth/kubernetes/config kubernetes_host=https://kubernetes.default.svc\n");
        for (String service : policyNames()) {
            assertThat(calls).contains("policy write " + service + " -\n<<stdin\n"
                    + Repo.read(Repo.VAULT.resolve("policies").resolve(service + ".hcl")) + "stdin>>\n");
            assertThat(calls).contains("write auth/kubernetes/role/" + service + " bound_service_account_names=" + service
                    + " bound_service_account_namespaces=keyline-test token_policies=" + service + " token_ttl=1h token_max_ttl=4h\n");
        }
        assertThat(calls).doesNotContain("token_policies=default").doesNotContain("root");
    }

    @Test
    void setupIsRepeatableAndFollowsAnotherKvMount(@TempDir Path tmp) throws IOException {
        Path log = tmp.resolve("vault.log");
        Path bin = stubVault(tmp, log, true);
        Repo.run(List.of("bash", Repo.VAULT.resolve("setup.sh").toString()),
                env(bin, Map.of("KV_MOUNT", "kv", "SERVICES", "certificate-service", "ROLE_AUDIENCE", "vault")));
        String calls = Files.readString(log);
        assertThat(calls).contains("kv enable-versioning kv/\n").doesNotContain("secrets enable").doesNotContain("auth enable");
        assertThat(calls).contains("path \"kv/data/keyline/certificate-service/*\"").doesNotContain("path \"secret/");
        assertThat(calls).contains("token_max_ttl=4h audience=vault\n").doesNotContain("role/rotation-service");
    }

    @Test
    void setupRefusesToRunWithoutVaultAddr(@TempDir Path tmp) throws IOException {
        Path bin = stubVault(tmp, tmp.resolve("vault.log"), false);
        Map<String, String> env = env(bin, Map.of());
        env.put("VAULT_ADDR", "");
        var result = Repo.runAllowingFailure(List.of("bash", Repo.VAULT.resolve("setup.sh").toString()), env);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("VAULT_ADDR");
        assertThat(tmp.resolve("vault.log")).doesNotExist();
    }

    private static Map<String, String> env(Path bin, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
        env.put("VAULT_ADDR", "https://vault.invalid:8200");
        env.putAll(extra);
        return env;
    }

    /** A vault CLI that logs its arguments (and stdin for policy writes) and answers list calls. */
    private static Path stubVault(Path tmp, Path log, boolean mountsExist) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path vault = bin.resolve("vault");
        String lists = mountsExist ? "{\"secret/\":{},\"kv/\":{},\"kubernetes/\":{}}" : "{\"sys/\":{}}";
        Files.writeString(vault, """
                #!/usr/bin/env bash
                echo "$*" >> '%s'
                case "$1 $2" in
                  "secrets list"|"auth list") echo '%s' ;;
                  "policy write") { echo '<<stdin'; cat; echo 'stdin>>'; } >> '%s' ;;
                esac
                """.formatted(log, lists, log));
        Files.setPosixFilePermissions(vault, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static List<String> policyNames() {
        List<String> names = new ArrayList<>();
        try (var files = Files.list(Repo.VAULT.resolve("policies"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hcl")).sorted()
                    .forEach(n -> names.add(n.substring(0, n.length() - 4)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return names;
    }

    private static Map<String, Set<String>> parse(String hcl) {
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        Matcher m = PATH_BLOCK.matcher(hcl.replaceAll("(?m)^\\s*#.*$", ""));
        while (m.find()) {
            Set<String> caps = new TreeSet<>();
            for (String cap : m.group(2).split(",")) {
                caps.add(cap.trim().replace("\"", ""));
            }
            assertThat(grants.put(m.group(1), caps)).as("path %s granted twice", m.group(1)).isNull();
        }
        return grants;
    }
}
