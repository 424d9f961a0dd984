package dev.keyline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * rotation-service's own token for connection-service is obtained, never configured: by OIDC client
 * credentials in the overlays (the client secret from a Secret, the realm in its ConfigMap), or from
 * a projected service-account token with audience connection-service when the component
 * projected-service-token is added.
 */
class ServiceTokenSourcesTest {

    @Test
    void theOverlaysUseClientCredentialsWithTheSecretFromASecretAndNoStaticToken() {
        for (String overlay : List.of("dev", "prod")) {
            Container c = rotationService(KustomizeOverlaysTest.render(overlay).deployment("rotation-service"));
            EnvVar secret = env(c, "KEYLINE_OIDC_CLIENT_SECRET");
            assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("keyline-rotation-service-oidc");
            assertThat(c.getEnv()).extracting(EnvVar::getName).as(overlay)
                    .doesNotContain("CONNECTION_SERVICE_TOKEN", "KEYLINE_SERVICE_TOKEN_FILE");
            assertThat(KustomizeOverlaysTest.configOf(KustomizeOverlaysTest.render(overlay), "rotation-service"))
                    .containsKey("KEYLINE_OIDC_ISSUER");
        }
    }

    @Test
    void theProjectedTokenComponentMountsATokenForConnectionServicesAudienceInsteadOfTheSecret() throws IOException {
        Deployment deployment = deployment(withProjectedTokenComponent(), "rotation-service");
        Container c = rotationService(deployment);
        assertThat(c.getEnv()).extracting(EnvVar::getName).doesNotContain("KEYLINE_OIDC_CLIENT_SECRET");
        String file = env(c, "KEYLINE_SERVICE_TOKEN_FILE").getValue();

        Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getProjected() != null).findFirst().orElseThrow();
        ServiceAccountTokenProjection token = volume.getProjected().getSources().get(0).getServiceAccountToken();
        assertThat(token.getAudience()).isEqualTo("connection-service");
        assertThat(token.getExpirationSeconds()).isBetween(600L, 3600L);
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName())).findFirst()
                .orElseThrow();
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(file).isEqualTo(mount.getMountPath() + "/" + token.getPath());
    }

    /**
     * The receiving side: connection-service trusts the service-account issuer with keys from a
     * mounted ConfigMap, and the namespace (which names the subject it maps to connections:rotate)
     * comes from the pod itself, so the mapping follows the overlay's namespace.
     */
    @Test
    void theProjectedTokenComponentMakesConnectionServiceTrustTheServiceAccountIssuer() throws IOException {
        List<HasMetadata> objects = withProjectedTokenComponent();
        Deployment deployment = deployment(objects, "connection-service");
        Container c = container(deployment, "connection-service");
        assertThat(env(c, "KEYLINE_SECURITY_SERVICE_ACCOUNT_ISSUER").getValue()).startsWith("https://");
        assertThat(env(c, "KEYLINE_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        String keys = env(c, "KEYLINE_SECURITY_SERVICE_ACCOUNT_PUBLIC_KEY_LOCATION").getValue();
        Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals("keyline-service-account-issuer"))
                .findFirst().orElseThrow(() -> new AssertionError("no volume from ConfigMap keyline-service-account-issuer"));
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName())).findFirst()
                .orElseThrow();
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(keys).startsWith(mount.getMountPath() + "/");
        // The mapping itself is connection-service's configuration: that subject, that permission only.
        String properties = Repo.read(Repo.ROOT.resolve("connection-service/src/main/resources/application.properties"));
        assertThat(properties).contains(
                "keyline.security.service-accounts.rotation-service.subject=system:serviceaccount:${KEYLINE_NAMESPACE:keyline}:rotation-service",
                "keyline.security.service-accounts.rotation-service.permissions=connections:rotate\n");
        // Without the component, connection-service trusts one issuer only.
        Container plain = container(KustomizeOverlaysTest.render("prod").deployment("connection-service"), "connection-service");
        assertThat(plain.getEnv()).extracting(EnvVar::getName).doesNotContain("KEYLINE_SECURITY_SERVICE_ACCOUNT_ISSUER");
    }

    /** The prod overlay with the component projected-service-token added, rendered. */
    private static List<HasMetadata> withProjectedTokenComponent() throws IOException {
        Path dir = Path.of("target/projected-service-token").toAbsolutePath();
        Files.createDirectories(dir);
        Path kubernetes = dir.relativize(Repo.KUBERNETES);
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s/overlays/prod
                components:
                  - %s/components/projected-service-token
                """.formatted(kubernetes, kubernetes));
        return StrictManifests.parse(Repo.kustomize(dir));
    }

    private static Deployment deployment(List<HasMetadata> objects, String name) {
        return objects.stream().filter(o -> o instanceof Deployment && o.getMetadata().getName().equals(name))
                .map(Deployment.class::cast).findFirst().orElseThrow();
    }

    private static Container rotationService(Deployment d) {
        return container(d, "rotation-service");
    }

    private static Container container(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }
}
