package dev.keyline.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/**
 * Only a token of the service-account issuer whose subject is configured is a service account (the one
 * a pool may give a larger share): the same subject from the primary issuer, or another subject of that
 * issuer, is a person's share.
 */
class CallerServiceAccountTest {

    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final String ROTATION = "system:serviceaccount:keyline:rotation-service";

    @Test
    void onlyAConfiguredSubjectOfTheServiceAccountIssuerIsAServiceAccount() {
        assertThat(caller(ISSUER, ROTATION).serviceAccount()).isTrue();
        assertThat(caller("keyline", ROTATION).serviceAccount()).as("primary issuer, same subject").isFalse();
        assertThat(caller(ISSUER, "system:serviceaccount:keyline:other").serviceAccount()).isFalse();
        Caller anonymous = new Caller();
        anonymous.accounts = accounts();
        anonymous.identity = QuarkusSecurityIdentity.builder().setAnonymous(true).build();
        assertThat(anonymous.serviceAccount()).isFalse();
    }

    /**
     * rotation-service's token from the primary issuer (run-local's, the identity provider's client credentials)
     * holds connections:rotate: with that permission listed as a service's, it is served as a service account.
     */
    @Test
    void aHolderOfAServicePermissionIsAServiceAccountFromAnyIssuer() {
        assertThat(caller("keyline", "rotation-service", "connections:rotate").serviceAccount()).isTrue();
        assertThat(caller("keyline", "alice", "connections:manage").serviceAccount()).isFalse();
    }

    private static Caller caller(String issuer, String subject, String... roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        Caller caller = new Caller();
        caller.accounts = accounts();
        caller.identity = QuarkusSecurityIdentity.builder().setPrincipal(new DefaultJWTCallerPrincipal(claims))
                .addRoles(Set.of(roles)).build();
        return caller;
    }

    private static ServiceAccountConfig accounts() {
        return new ServiceAccountConfig() {
            @Override
            public Optional<String> serviceAccountIssuer() {
                return Optional.of(ISSUER);
            }

            @Override
            public Optional<String> serviceAccountPublicKeyLocation() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> servicePermissions() {
                return Optional.of(List.of("connections:rotate"));
            }

            @Override
            public Map<String, ServiceAccount> serviceAccounts() {
                return Map.of("rotation-service", new ServiceAccount() {
                    @Override
                    public String subject() {
                        return ROTATION;
                    }

                    @Override
                    public Set<String> permissions() {
                        return Set.of("connections:rotate");
                    }
                });
            }
        };
    }
}
