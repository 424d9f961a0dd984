package dev.keyline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The strict reader itself: what it must refuse, so the overlay checks cannot pass on a typo. */
class StrictManifestsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      %s
            """;

    @Test
    void readsAValidObjectIntoTheTypedModel() {
        var objects = StrictManifests.parse("---\n" + DEPLOYMENT.formatted("readinessProbe: {httpGet: {path: /q/health/ready, port: 9081}}")
                + "---\n");
        assertThat(objects).singleElement().isInstanceOf(Deployment.class);
        Deployment d = (Deployment) objects.get(0);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPort().getIntVal())
                .isEqualTo(9081);
    }

    @Test
    void aMisspelledFieldFailsAtAnyDepth() {
        assertThatThrownBy(() -> StrictManifests.parse(DEPLOYMENT.formatted("readinesProbe: {httpGet: {path: /q/health/ready, port: 9081}}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("readinesProbe");
        assertThatThrownBy(() -> StrictManifests.parse(DEPLOYMENT.formatted("securityContext: {runAsNonroot: true}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("runAsNonroot");
        assertThatThrownBy(() -> StrictManifests.parse(DEPLOYMENT.replace("  selector:", "  selecter:").formatted("")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("selecter");
    }

    @Test
    void aWrongTypeFails() {
        assertThatThrownBy(() -> StrictManifests.parse(DEPLOYMENT.formatted("ports: {containerPort: 8081}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("ports");
    }

    @Test
    void anUnknownKindOrApiVersionFails() {
        assertThatThrownBy(() -> StrictManifests.parse(DEPLOYMENT.replace("apps/v1", "apps/v1beta9").formatted("")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("apps/v1beta9/Deployment");
        assertThatThrownBy(() -> StrictManifests.parse("apiVersion: v1\nkind: Servce\nmetadata: {name: x}\n"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("v1/Servce");
    }
}
