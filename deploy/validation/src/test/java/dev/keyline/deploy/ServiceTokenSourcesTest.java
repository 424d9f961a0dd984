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
        List<HasMetadata> objects = StrictManifests.parse(Repo.kustomize(dir));
        Deployment deployment = objects.stream().filter(o -> o instanceof Deployment
                && o.getMetadata().getName().equals("rotation-service")).map(Deployment.class::cast).findFirst().orElseThrow();
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

    private static Container rotationService(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("rotation-service")).findFirst().orElseThrow();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }
}
