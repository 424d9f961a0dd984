package dev.keyline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Renders deploy/kubernetes/overlays/{dev,prod} with {@code kubectl kustomize} (offline), reads every
 * object strictly into the fabric8 model and checks what a deployment of keyline relies on.
 */
class KustomizeOverlaysTest {

    static final String MANAGEMENT_PORT_NAME = "management";
    static final String API_PORT_NAME = "http";

    /** Objects the overlays reference but do not contain: created by the deployer (deploy/README.md). */
    static final Map<String, Set<String>> EXTERNAL = Map.of(
            "dev", Set.of("ConfigMap/keyline-jwt", "Secret/keyline-rotation-service-oidc"),
            "prod", Set.of("ConfigMap/keyline-jwt", "Secret/keyline-postgres", "Secret/keyline-rotation-service-oidc"));

    /** Egress each service needs, by destination port (DNS, HTTPS, PostgreSQL, Vault, other services' pods). */
    static final Map<String, Set<Integer>> EGRESS_PORTS = Map.of(
            "certificate-service", Set.of(53, 443, 5432, 8200),
            // + certificate-service's API (exchange) and management port (its /q/health/ready).
            "connection-service", Set.of(53, 443, 5432, 8200, 8081, 9081),
            // 443 for the identity provider only (its own token by client credentials): every
            // Snowflake operation goes through connection-service's API (8082); its management port
            // (9082) for its /q/health/ready.
            "rotation-service", Set.of(53, 443, 5432, 8200, 8082, 9082));

    /**
     * In-namespace services allowed on another service's management port besides the monitoring
     * namespace: connection-service reports certificate-service's readiness in its own,
     * rotation-service connection-service's.
     */
    static final Map<String, Set<String>> MANAGEMENT_CALLERS = Map.of(
            "certificate-service", Set.of("connection-service"),
            "connection-service", Set.of("rotation-service"));

    private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

    record Rendered(String overlay, List<HasMetadata> objects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
            return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
        }

        <T extends HasMetadata> T get(Class<T> type, String name) {
            return find(type, name).orElseThrow(() -> new AssertionError(
                    overlay + ": no " + type.getSimpleName() + " named " + name + " in the rendered overlay"));
        }

        Deployment deployment(String service) {
            return get(Deployment.class, service);
        }
    }

    static Rendered render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> new Rendered(o,
                StrictManifests.parse(Repo.kustomize(Repo.KUBERNETES.resolve("overlays").resolve(o)))));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void rendersOfflineIntoTheTypedModelWithUniqueNamesInOneNamespace(String overlay) {
        Rendered r = render(overlay);
        assertThat(r.objects()).isNotEmpty();
        Set<String> seen = new TreeSet<>();
        for (HasMetadata o : r.objects()) {
            assertThat(seen.add(o.getKind() + "/" + o.getMetadata().getName())).as("duplicate %s/%s", o.getKind(),
                    o.getMetadata().getName()).isTrue();
        }
        Namespace namespace = r.all(Namespace.class).stream().collect(onlyOne(overlay + " Namespace"));
        assertThat(namespace.getMetadata().getLabels())
                .as("%s namespace enforces the restricted Pod Security Standard", overlay)
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        for (HasMetadata o : r.objects()) {
            if (!(o instanceof Namespace)) {
                assertThat(o.getMetadata().getNamespace()).as("%s namespace of %s/%s", overlay, o.getKind(),
                        o.getMetadata().getName()).isEqualTo(namespace.getMetadata().getName());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceHasItsDeploymentServiceAccountServiceDisruptionBudgetAndPolicies(String overlay) {
        Rendered r = render(overlay);
        for (String service : Repo.services()) {
            Deployment d = r.deployment(service);
            PodTemplateSpec pod = d.getSpec().getTemplate();
            Map<String, String> podLabels = pod.getMetadata().getLabels();
            assertThat(matches(d.getSpec().getSelector(), podLabels)).as("%s selector matches its pods", service).isTrue();

            assertThat(pod.getSpec().getServiceAccountName()).as("%s runs as its own ServiceAccount", service).isEqualTo(service);
            r.get(ServiceAccount.class, service);

            Service svc = r.get(Service.class, service);
            assertThat(podLabels).as("%s Service selects its pods", service).containsAllEntriesOf(svc.getSpec().getSelector());
            Container container = mainContainer(d, service);
            assertThat(svc.getSpec().getPorts()).as("%s Service ports", service).isNotEmpty().allSatisfy(p -> {
                assertThat(resolve(container, p.getTargetPort())).as("%s Service targets the API port", service)
                        .isEqualTo(port(container, API_PORT_NAME));
            });

            PodDisruptionBudget pdb = r.get(PodDisruptionBudget.class, service);
            assertThat(matches(pdb.getSpec().getSelector(), podLabels)).as("%s PDB selects its pods", service).isTrue();

            assertThat(policiesFor(r, podLabels, "Ingress")).as("%s ingress NetworkPolicy", service).isNotEmpty();
            assertThat(policiesFor(r, podLabels, "Egress")).as("%s egress NetworkPolicy (the namespace denies by default)", service)
                    .isNotEmpty();
        }
        NetworkPolicy deny = r.get(NetworkPolicy.class, "default-deny-all");
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).as("default deny selects every pod").isNullOrEmpty();
        assertThat(deny.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void probesAskTheHealthEndpointsOnTheManagementPort(String overlay) {
        Rendered r = render(overlay);
        for (String service : Repo.services()) {
            Container c = mainContainer(r.deployment(service), service);
            int management = port(c, MANAGEMENT_PORT_NAME);
            assertThat(management).as("%s management port differs from the API port", service).isNotEqualTo(port(c, API_PORT_NAME));
            assertProbe(service + " startupProbe", c.getStartupProbe(), c, management, "/q/health/started");
            assertProbe(service + " livenessProbe", c.getLivenessProbe(), c, management, "/q/health/live");
            assertProbe(service + " readinessProbe", c.getReadinessProbe(), c, management, "/q/health/ready");
            Probe startup = c.getStartupProbe();
            assertThat(startup.getFailureThreshold() * startup.getPeriodSeconds())
                    .as("%s start-up budget in seconds (Flyway may wait for its lock)", service).isGreaterThanOrEqualTo(60);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyWorkloadIsLimitedNonRootReadOnlyAndUnprivileged(String overlay) {
        Rendered r = render(overlay);
        Map<String, PodSpec> workloads = new LinkedHashMap<>();
        r.all(Deployment.class).forEach(d -> workloads.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        r.all(StatefulSet.class).forEach(s -> workloads.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        assertThat(workloads).isNotEmpty();
        workloads.forEach((name, pod) -> {
            assertThat(pod.getHostNetwork()).as("%s hostNetwork", name).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostPID()).as("%s hostPID", name).isNotEqualTo(Boolean.TRUE);
            List<Container> containers = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                containers.addAll(pod.getInitContainers());
            }
            for (Container c : containers) {
                String what = name + " container " + c.getName();
                assertThat(c.getResources()).as("%s resources", what).isNotNull();
                for (String resource : List.of("cpu", "memory")) {
                    assertThat(quantity(c.getResources().getRequests(), resource)).as("%s requests.%s", what, resource).isNotNull();
                    assertThat(quantity(c.getResources().getLimits(), resource)).as("%s limits.%s", what, resource).isNotNull();
                    assertThat(Quantity.getAmountInBytes(quantity(c.getResources().getRequests(), resource)))
                            .as("%s requests.%s <= limits.%s", what, resource, resource)
                            .isLessThanOrEqualTo(Quantity.getAmountInBytes(quantity(c.getResources().getLimits(), resource)));
                }
                PodSecurityContext podSc = pod.getSecurityContext();
                SecurityContext sc = c.getSecurityContext();
                assertThat(sc).as("%s securityContext", what).isNotNull();
                Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podSc == null ? null : podSc.getRunAsNonRoot();
                assertThat(nonRoot).as("%s runAsNonRoot (container or pod)", what).isTrue();
                Long uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : podSc == null ? null : podSc.getRunAsUser();
                if (uid != null) {
                    assertThat(uid).as("%s runAsUser", what).isNotZero();
                }
                assertThat(sc.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", what).isTrue();
                assertThat(sc.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", what).isFalse();
                assertThat(sc.getPrivileged()).as("%s privileged", what).isNotEqualTo(Boolean.TRUE);
                assertThat(sc.getCapabilities()).as("%s capabilities", what).isNotNull();
                assertThat(sc.getCapabilities().getDrop()).as("%s drops every capability", what).contains("ALL");
                assertThat(sc.getCapabilities().getAdd()).as("%s adds no capability", what).isNullOrEmpty();
                String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                        : podSc == null || podSc.getSeccompProfile() == null ? null : podSc.getSeccompProfile().getType();
                assertThat(seccomp).as("%s seccomp profile (container or pod)", what).isEqualTo("RuntimeDefault");
                // A read-only root filesystem needs a writable /tmp: an emptyDir, not the image's.
                var tmp = c.getVolumeMounts() == null ? null
                        : c.getVolumeMounts().stream().filter(m -> "/tmp".equals(m.getMountPath())).findFirst().orElse(null);
                assertThat(tmp).as("%s mounts a volume at /tmp", what).isNotNull();
                Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(what + ": /tmp volume " + tmp.getName() + " is not defined"));
                assertThat(volume.getEmptyDir()).as("%s /tmp is an emptyDir", what).isNotNull();
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void networkPoliciesOpenOnlyTheApiToCallersTheManagementPortToMonitoringAndNamedEgress(String overlay) {
        Rendered r = render(overlay);
        for (String service : Repo.services()) {
            Container c = mainContainer(r.deployment(service), service);
            Map<String, String> podLabels = r.deployment(service).getSpec().getTemplate().getMetadata().getLabels();
            int api = port(c, API_PORT_NAME);
            int management = port(c, MANAGEMENT_PORT_NAME);
            Set<Integer> ingressPorts = new TreeSet<>();
            for (NetworkPolicy np : policiesFor(r, podLabels, "Ingress")) {
                if (np.getMetadata().getName().equals("default-deny-all")) {
                    continue;
                }
                for (var rule : np.getSpec().getIngress()) {
                    String what = overlay + " " + np.getMetadata().getName();
                    assertThat(rule.getFrom()).as("%s: every ingress rule names its sources", what).isNotEmpty();
                    assertThat(rule.getPorts()).as("%s: every ingress rule names its ports", what).isNotEmpty();
                    Set<Integer> ports = ports(rule.getPorts(), c);
                    ingressPorts.addAll(ports);
                    assertThat(ports).as("%s: ingress only to the API or management port", what).isSubsetOf(api, management);
                    for (NetworkPolicyPeer peer : rule.getFrom()) {
                        assertThat(peer.getIpBlock()).as("%s: no address-range sources", what).isNull();
                        if (ports.contains(management)) {
                            assertThat(ports).as("%s: management port rule is separate from the API", what).containsOnly(management);
                            if (peer.getNamespaceSelector() == null) {
                                assertThat(peer.getPodSelector()).as("%s: management port callers are selected pods", what).isNotNull();
                                assertThat(peer.getPodSelector().getMatchLabels()).as("%s: in-namespace management port callers", what)
                                        .containsOnlyKeys("app.kubernetes.io/name");
                                assertThat(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))
                                        .as("%s: in-namespace callers of the management port (MANAGEMENT_CALLERS)", what)
                                        .isIn(MANAGEMENT_CALLERS.getOrDefault(service, Set.of()));
                            } else {
                                assertThat(peer.getNamespaceSelector().getMatchLabels())
                                        .as("%s: management port open to the monitoring namespace", what)
                                        .containsEntry("kubernetes.io/metadata.name", "monitoring");
                            }
                        } else {
                            assertThat(peer.getNamespaceSelector()).as("%s: API callers come from the service's namespace", what).isNull();
                            assertThat(peer.getPodSelector()).as("%s: API callers are selected pods", what).isNotNull();
                            assertThat(peer.getPodSelector().getMatchLabels()).as("%s: API callers selected by label", what).isNotEmpty();
                        }
                    }
                }
            }
            assertThat(ingressPorts).as("%s %s ingress ports", overlay, service).containsExactlyInAnyOrder(api, management);

            Set<Integer> egressPorts = new TreeSet<>();
            for (NetworkPolicy np : policiesFor(r, podLabels, "Egress")) {
                if (np.getMetadata().getName().equals("default-deny-all")) {
                    continue;
                }
                for (var rule : np.getSpec().getEgress()) {
                    assertThat(rule.getPorts()).as("%s %s: every egress rule names its ports", overlay, np.getMetadata().getName())
                            .isNotEmpty();
                    egressPorts.addAll(ports(rule.getPorts(), c));
                }
            }
            Set<Integer> expected = EGRESS_PORTS.get(service);
            if (expected != null) {
                assertThat(egressPorts).as("%s %s egress ports", overlay, service).isEqualTo(expected);
            } else {
                assertThat(egressPorts).as("%s %s egress includes DNS", overlay, service).contains(53);
            }
        }
    }

    /**
     * Every in-namespace URL in a service's ConfigMap ({@code *_URL=http://<Service>[:port]/...}, e.g.
     * rotation-service's CONNECTION_SERVICE_URL and CONNECTION_SERVICE_HEALTH_URL) names a rendered
     * Service whose port reaches a service's pods, and both the caller's egress and the callee's
     * ingress NetworkPolicy let that call through (NetworkPolicy sees the pod port).
     */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void serviceUrlsInTheConfigMapsReachTheirTargetThroughBothNetworkPolicies(String overlay) {
        Rendered r = render(overlay);
        java.util.regex.Pattern url = java.util.regex.Pattern.compile("http://([a-z0-9-]+)(?::(\\d+))?(?:/.*)?");
        int checked = 0;
        for (String caller : Repo.services()) {
            Map<String, String> callerLabels = r.deployment(caller).getSpec().getTemplate().getMetadata().getLabels();
            for (var e : new java.util.TreeMap<>(configOf(r, caller)).entrySet()) {
                java.util.regex.Matcher m = url.matcher(e.getValue());
                if (!e.getKey().endsWith("_URL") || !m.matches()) {
                    continue;
                }
                String what = overlay + " " + caller + " " + e.getKey() + "=" + e.getValue();
                Service svc = r.get(Service.class, m.group(1));
                int port = m.group(2) == null ? 80 : Integer.parseInt(m.group(2));
                var servicePort = svc.getSpec().getPorts().stream().filter(p -> p.getPort() == port).findFirst()
                        .orElseThrow(() -> new AssertionError(what + ": Service " + m.group(1) + " has no port " + port));
                Deployment callee = r.all(Deployment.class).stream()
                        .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                                .containsAll(svc.getSpec().getSelector().entrySet()))
                        .collect(onlyOne(what + ": Deployment behind Service " + m.group(1)));
                String calleeName = callee.getMetadata().getName();
                Container calleeContainer = mainContainer(callee, calleeName);
                Map<String, String> calleeLabels = callee.getSpec().getTemplate().getMetadata().getLabels();
                int podPort = resolve(calleeContainer, servicePort.getTargetPort());

                boolean egress = policiesFor(r, callerLabels, "Egress").stream().flatMap(np -> Stream.ofNullable(np.getSpec().getEgress()))
                        .flatMap(List::stream)
                        .filter(rule -> rule.getPorts() == null || rule.getPorts().isEmpty()
                                || ports(rule.getPorts(), calleeContainer).contains(podPort))
                        .anyMatch(rule -> rule.getTo() == null || rule.getTo().isEmpty() || rule.getTo().stream()
                                .anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                                        && matches(peer.getPodSelector(), calleeLabels)));
                assertThat(egress).as("%s: %s's egress NetworkPolicy allows %s pods on %d", what, caller, calleeName, podPort).isTrue();
                boolean ingress = policiesFor(r, calleeLabels, "Ingress").stream().flatMap(np -> Stream.ofNullable(np.getSpec().getIngress()))
                        .flatMap(List::stream)
                        .filter(rule -> rule.getPorts() != null && ports(rule.getPorts(), calleeContainer).contains(podPort))
                        .anyMatch(rule -> rule.getFrom() != null && rule.getFrom().stream()
                                .anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                                        && matches(peer.getPodSelector(), callerLabels)));
                assertThat(ingress).as("%s: %s's ingress NetworkPolicy admits %s on %d", what, calleeName, caller, podPort).isTrue();
                checked++;
            }
        }
        // connection-service -> certificate-service (API, readiness), rotation-service -> connection-service (API, readiness).
        assertThat(checked).as("%s: in-namespace service URLs checked", overlay).isGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void referencedConfigMapsAndSecretsAreRenderedOrDocumentedAsCreatedByTheDeployer(String overlay) {
        Rendered r = render(overlay);
        Set<String> rendered = new TreeSet<>();
        r.objects().forEach(o -> rendered.add(o.getKind() + "/" + o.getMetadata().getName()));
        Set<String> referenced = new TreeSet<>();
        for (PodSpec pod : podSpecs(r)) {
            for (Container c : pod.getContainers()) {
                if (c.getEnvFrom() != null) {
                    c.getEnvFrom().forEach(e -> {
                        if (e.getConfigMapRef() != null) {
                            referenced.add("ConfigMap/" + e.getConfigMapRef().getName());
                        }
                        if (e.getSecretRef() != null) {
                            referenced.add("Secret/" + e.getSecretRef().getName());
                        }
                    });
                }
                if (c.getEnv() != null) {
                    for (EnvVar e : c.getEnv()) {
                        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                            referenced.add("Secret/" + e.getValueFrom().getSecretKeyRef().getName());
                        }
                        if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                            referenced.add("ConfigMap/" + e.getValueFrom().getConfigMapKeyRef().getName());
                        }
                    }
                }
            }
            if (pod.getVolumes() != null) {
                for (Volume v : pod.getVolumes()) {
                    if (v.getConfigMap() != null) {
                        referenced.add("ConfigMap/" + v.getConfigMap().getName());
                    }
                    if (v.getSecret() != null) {
                        referenced.add("Secret/" + v.getSecret().getSecretName());
                    }
                }
            }
        }
        Set<String> missing = new TreeSet<>(referenced);
        missing.removeAll(rendered);
        assertThat(missing).as("%s: referenced but neither rendered nor created by the deployer", overlay)
                .isEqualTo(EXTERNAL.get(overlay));
        String readme = Repo.read(Repo.README);
        for (String external : EXTERNAL.get(overlay)) {
            assertThat(readme).as("deploy/README.md explains how to create %s", external)
                    .contains(external.substring(external.indexOf('/') + 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void servicesLogIntoVaultWithTheirServiceAccountAndNoStaticToken(String overlay) {
        Rendered r = render(overlay);
        for (String service : Repo.services()) {
            Map<String, String> config = configOf(r, service);
            assertThat(config).as("%s %s ConfigMap", overlay, service)
                    .containsEntry("QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE", service)
                    .containsKey("QUARKUS_VAULT_URL")
                    .doesNotContainKeys("QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN", "VAULT_TOKEN",
                            "QUARKUS_VAULT_AUTHENTICATION_APP_ROLE_SECRET_ID");
            assertThat(Repo.VAULT.resolve("policies").resolve(service + ".hcl"))
                    .as("the Vault policy the role %s grants", service).exists();
            Container c = mainContainer(r.deployment(service), service);
            assertThat(c.getEnv()).extracting(EnvVar::getName).as("%s env", service)
                    .doesNotContain("QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN", "VAULT_TOKEN");
            assertThat(r.deployment(service).getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
                    .as("%s mounts its ServiceAccount token (Vault Kubernetes auth)", service).isNotEqualTo(Boolean.FALSE);
        }
    }

    @Test
    void prodRunsTwoReplicasKeepsOneAvailableAndHoldsNoCredentials() {
        Rendered r = render("prod");
        for (String service : Repo.services()) {
            assertThat(r.deployment(service).getSpec().getReplicas()).as("prod %s replicas", service).isGreaterThanOrEqualTo(2);
            PodDisruptionBudget pdb = r.get(PodDisruptionBudget.class, service);
            assertThat(pdb.getSpec().getMinAvailable()).as("prod %s PDB minAvailable", service).isEqualTo(new IntOrString(1));
            assertThat(pdb.getSpec().getMaxUnavailable()).as("prod %s PDB has only minAvailable", service).isNull();
            assertThat(configOf(r, service).get("QUARKUS_VAULT_URL")).as("prod %s talks to Vault over TLS", service).startsWith("https://");
        }
        for (Secret secret : r.all(Secret.class)) {
            assertThat(secret.getData()).as("prod Secret %s holds no literal data", secret.getMetadata().getName()).isNullOrEmpty();
            assertThat(secret.getStringData()).as("prod Secret %s holds no literal data", secret.getMetadata().getName()).isNullOrEmpty();
        }
        for (ConfigMap cm : r.all(ConfigMap.class)) {
            if (cm.getData() != null) {
                assertThat(cm.getData().keySet()).as("prod ConfigMap %s carries no credential", cm.getMetadata().getName())
                        .noneMatch(KustomizeOverlaysTest::looksLikeCredential);
            }
        }
        for (PodSpec pod : podSpecs(r)) {
            for (Container c : pod.getContainers()) {
                if (c.getEnv() != null) {
                    assertThat(c.getEnv()).as("prod container %s: credentials only from Secrets", c.getName())
                            .filteredOn(e -> looksLikeCredential(e.getName()))
                            .allSatisfy(e -> assertThat(e.getValue()).as(e.getName()).isNull());
                }
            }
        }
    }

    @Test
    void prodServiceMonitorsScrapeTheManagementPort() {
        Rendered r = render("prod");
        for (String service : Repo.services()) {
            ServiceMonitor sm = r.get(ServiceMonitor.class, service);
            Deployment d = r.deployment(service);
            Container c = mainContainer(d, service);
            assertThat(r.get(Service.class, service).getMetadata().getLabels()).as("%s ServiceMonitor selects its Service", service)
                    .containsAllEntriesOf(sm.getSpec().getSelector().getMatchLabels());
            assertThat(sm.getSpec().getEndpoints()).as("%s ServiceMonitor endpoints", service).isNotEmpty().allSatisfy(e -> {
                assertThat(e.getPath()).isEqualTo("/q/metrics");
                assertThat(resolve(c, e.getTargetPort())).as("%s scraped on the management port", service)
                        .isEqualTo(port(c, MANAGEMENT_PORT_NAME));
            });
        }
    }

    @Test
    void devRunsOneReplicaEachAndItsOwnPostgres() {
        Rendered r = render("dev");
        for (String service : Repo.services()) {
            assertThat(r.deployment(service).getSpec().getReplicas()).as("dev %s replicas", service).isEqualTo(1);
        }
        StatefulSet postgres = r.get(StatefulSet.class, "keyline-postgres");
        assertThat(postgres.getSpec().getReplicas()).isEqualTo(1);
        Service service = r.get(Service.class, "keyline-postgres");
        assertThat(postgres.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        Secret secret = r.get(Secret.class, "keyline-postgres");
        assertThat(secret.getData()).containsKeys("jdbc-url", "username", "password");
        String jdbcUrl = new String(java.util.Base64.getDecoder().decode(secret.getData().get("jdbc-url")));
        assertThat(jdbcUrl).startsWith("jdbc:postgresql://keyline-postgres:5432/");
        assertThat(r.all(ServiceMonitor.class)).as("dev has no Prometheus Operator objects").isEmpty();
    }

    // ------------------------------------------------------------------------------------------

    static Map<String, String> configOf(Rendered r, String service) {
        Container c = mainContainer(r.deployment(service), service);
        Map<String, String> config = new HashMap<>();
        assertThat(c.getEnvFrom()).as("%s envFrom", service).isNotEmpty();
        c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
                .forEach(e -> config.putAll(Objects.requireNonNullElse(
                        r.get(ConfigMap.class, e.getConfigMapRef().getName()).getData(), Map.of())));
        return config;
    }

    static boolean looksLikeCredential(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        return n.contains("PASSWORD") || n.endsWith("TOKEN") || n.contains("SECRET_ID") || n.endsWith("PRIVATE_KEY");
    }

    static List<PodSpec> podSpecs(Rendered r) {
        return Stream.concat(r.all(Deployment.class).stream().map(d -> d.getSpec().getTemplate().getSpec()),
                r.all(StatefulSet.class).stream().map(s -> s.getSpec().getTemplate().getSpec())).toList();
    }

    static Container mainContainer(Deployment d, String service) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> service.equals(c.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(service + ": no container named " + service));
    }

    static int port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + ": no container port named " + name));
    }

    static int resolve(Container c, IntOrString port) {
        assertThat(port).as("%s: a port", c.getName()).isNotNull();
        return port.getIntVal() != null ? port.getIntVal() : port(c, port.getStrVal());
    }

    static Set<Integer> ports(List<NetworkPolicyPort> ports, Container c) {
        Set<Integer> result = new TreeSet<>();
        for (NetworkPolicyPort p : ports) {
            assertThat(p.getEndPort()).as("no port ranges").isNull();
            result.add(p.getPort().getIntVal() != null ? p.getPort().getIntVal() : port(c, p.getPort().getStrVal()));
        }
        return result;
    }

    static void assertProbe(String what, Probe probe, Container c, int port, String path) {
        assertThat(probe).as(what).isNotNull();
        assertThat(probe.getHttpGet()).as("%s is an HTTP GET", what).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as("%s path", what).isEqualTo(path);
        assertThat(resolve(c, probe.getHttpGet().getPort())).as("%s port", what).isEqualTo(port);
        assertThat(probe.getTimeoutSeconds()).as("%s timeoutSeconds", what).isLessThanOrEqualTo(probe.getPeriodSeconds());
    }

    static List<NetworkPolicy> policiesFor(Rendered r, Map<String, String> podLabels, String type) {
        return r.all(NetworkPolicy.class).stream()
                .filter(np -> np.getSpec().getPolicyTypes() != null && np.getSpec().getPolicyTypes().contains(type))
                .filter(np -> matches(np.getSpec().getPodSelector(), podLabels)).toList();
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new AssertionError("matchExpressions are not evaluated by this test: " + selector);
        }
        Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static Quantity quantity(Map<String, Quantity> map, String key) {
        return map == null ? null : map.get(key);
    }

    static <T> java.util.stream.Collector<T, ?, T> onlyOne(String what) {
        return java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), list -> {
            assertThat(list).as("exactly one %s", what).hasSize(1);
            return list.get(0);
        });
    }
}
