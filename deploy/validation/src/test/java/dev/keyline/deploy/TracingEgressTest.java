package dev.keyline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;

/**
 * With the component {@code tracing} in an overlay, every service exports its spans to the OTLP
 * collector its ConfigMap names, and its egress NetworkPolicies let it reach that collector's
 * namespace and port (the namespace denies egress by default: without that rule the spans are
 * silently dropped). Without the component tracing stays off and no collector egress is open.
 */
class TracingEgressTest {

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void withTheComponentEveryServiceExportsToACollectorItsEgressPolicyReaches(String overlay) {
        KustomizeOverlaysTest.Rendered r = withTracing(overlay, "");
        for (String service : Repo.services()) {
            assertThat(KustomizeOverlaysTest.configOf(r, service)).as("%s %s tracing on", overlay, service)
                    .containsEntry("QUARKUS_OTEL_SDK_DISABLED", "false");
        }
        assertThat(collectorsOutOfReach(r)).as("%s: services whose collector the egress policies do not reach", overlay)
                .isEmpty();
        // The policy opens the collector's port in its namespace, and nothing else.
        NetworkPolicy otlp = r.get(NetworkPolicy.class, "keyline-otlp-egress");
        assertThat(otlp.getSpec().getPolicyTypes()).containsExactly("Egress");
        for (NetworkPolicyEgressRule rule : otlp.getSpec().getEgress()) {
            assertThat(rule.getTo()).as("a namespace, never every address").isNotEmpty()
                    .allSatisfy(peer -> assertThat(peer.getIpBlock()).isNull())
                    .allSatisfy(peer -> assertThat(peer.getNamespaceSelector()).isNotNull());
            assertThat(rule.getPorts()).as("named ports").isNotEmpty();
        }
    }

    /** The check catches a collector moved in the ConfigMaps without the policy following. */
    @Test
    void aCollectorMovedWithoutItsEgressRuleIsReported() {
        String moveTheCollector = """
                patches:
                  - target: {kind: ConfigMap, name: "(certificate|connection|rotation)-service-config"}
                    patch: |-
                      - op: replace
                        path: /data/QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT
                        value: http://tempo.tracing:4318
                """;
        KustomizeOverlaysTest.Rendered r = withTracing("prod", moveTheCollector);
        assertThat(collectorsOutOfReach(r)).containsExactlyInAnyOrder("certificate-service -> tracing:4318",
                "connection-service -> tracing:4318", "rotation-service -> tracing:4318");

        // And with the policy patched too, as deploy/kubernetes/components/tracing documents, it is not.
        r = withTracing("prod", moveTheCollector + """
                  - target: {kind: NetworkPolicy, name: keyline-otlp-egress}
                    patch: |-
                      - op: replace
                        path: /spec/egress/0
                        value:
                          to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: tracing}}}]
                          ports: [{protocol: TCP, port: 4318}]
                """);
        assertThat(collectorsOutOfReach(r)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void withoutTheComponentTracingIsOffAndNoCollectorEgressIsOpen(String overlay) {
        KustomizeOverlaysTest.Rendered r = KustomizeOverlaysTest.render(overlay);
        for (String service : Repo.services()) {
            assertThat(KustomizeOverlaysTest.configOf(r, service).getOrDefault("QUARKUS_OTEL_SDK_DISABLED", "true"))
                    .as("%s %s: tracing off unless the component is added", overlay, service).isEqualTo("true");
        }
        assertThat(r.find(NetworkPolicy.class, "keyline-otlp-egress")).isEmpty();
    }

    /**
     * "service -> namespace:port" for each service with tracing on whose egress NetworkPolicies
     * have no rule for that port to that namespace (the endpoint's host is
     * {@code <Service>.<namespace>[.svc…]}, or a Service of the service's own namespace).
     */
    static List<String> collectorsOutOfReach(KustomizeOverlaysTest.Rendered r) {
        List<String> out = new ArrayList<>();
        for (String service : Repo.services()) {
            Map<String, String> config = KustomizeOverlaysTest.configOf(r, service);
            if (!"false".equals(config.get("QUARKUS_OTEL_SDK_DISABLED"))) {
                continue;
            }
            URI endpoint = URI.create(config.getOrDefault("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317"));
            String[] host = endpoint.getHost().split("\\.");
            String namespace = host.length > 1 ? host[1] : r.deployment(service).getMetadata().getNamespace();
            int port = endpoint.getPort() > 0 ? endpoint.getPort()
                    : "http/protobuf".equals(config.get("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL")) ? 4318 : 4317;
            Container c = KustomizeOverlaysTest.mainContainer(r.deployment(service), service);
            Map<String, String> podLabels = r.deployment(service).getSpec().getTemplate().getMetadata().getLabels();
            boolean reached = KustomizeOverlaysTest.policiesFor(r, podLabels, "Egress").stream()
                    .flatMap(np -> np.getSpec().getEgress() == null ? java.util.stream.Stream.empty()
                            : np.getSpec().getEgress().stream())
                    .filter(rule -> rule.getPorts() != null && KustomizeOverlaysTest.ports(rule.getPorts(), c).contains(port))
                    .anyMatch(rule -> rule.getTo() != null && rule.getTo().stream().anyMatch(peer -> admits(peer, namespace)));
            if (!reached) {
                out.add(service + " -> " + namespace + ":" + port);
            }
        }
        return out;
    }

    private static boolean admits(NetworkPolicyPeer peer, String namespace) {
        return peer.getIpBlock() == null && peer.getNamespaceSelector() != null
                && peer.getNamespaceSelector().getMatchLabels() != null
                && namespace.equals(peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
    }

    /** {@code overlay} with the component tracing added (as an overlay of one's own would), plus {@code extra} YAML. */
    private static KustomizeOverlaysTest.Rendered withTracing(String overlay, String extra) {
        KustomizeOverlaysTest.Rendered plain = KustomizeOverlaysTest.render(overlay);
        String namespace = plain.deployment(Repo.services().get(0)).getMetadata().getNamespace();
        Path dir = Path.of("target/tracing-" + overlay + "-" + Integer.toHexString(extra.hashCode())).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path kubernetes = dir.relativize(Repo.KUBERNETES);
            Files.writeString(dir.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    namespace: %s
                    resources:
                      - %s/overlays/%s
                    components:
                      - %s/components/tracing
                    %s""".formatted(namespace, kubernetes, overlay, kubernetes, extra));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KustomizeOverlaysTest.Rendered(overlay + "+tracing", StrictManifests.parse(Repo.kustomize(dir)));
    }
}
