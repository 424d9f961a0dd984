package dev.keyline.console.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class SignInTokenTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private static String jwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    @Test
    void readsWhoAndUntilWhenWithOrWithoutTheBearerPrefix() throws Exception {
        String token = jwt("{\"sub\":\"alice\",\"upn\":\"alice@example.org\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");

        SignInToken read = SignInToken.read("  Bearer " + token + "\n", JSON, NOW);

        assertThat(read.value()).isEqualTo(token);
        assertThat(read.subject()).isEqualTo("alice@example.org");
        assertThat(read.expiresAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(read.toString()).doesNotContain(token);
    }

    @Test
    void aKeycloakTokenIsGreetedByItsUsernameAsTheServicesRecordIt() throws Exception {
        // Keycloak: sub is the user's id, the name is preferred_username, and there is no upn.
        String token = jwt("{\"sub\":\"2f6c0c2e-5d1e-4c1a-9f7e-0d9f0b6f3a11\",\"preferred_username\":\"alice\",\"exp\":"
                + NOW.plusSeconds(60).getEpochSecond() + "}");
        assertThat(SignInToken.read(token, JSON, NOW).subject()).isEqualTo("alice");
        String bare = jwt("{\"sub\":\"svc\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
        assertThat(SignInToken.read(bare, JSON, NOW).subject()).isEqualTo("svc");
    }

    @Test
    void refusesExpiredTokensAndTextThatIsNoJwtWithoutRepeatingIt() {
        String expired = jwt("{\"sub\":\"alice\",\"exp\":" + NOW.minusSeconds(1).getEpochSecond() + "}");
        assertThatThrownBy(() -> SignInToken.read(expired, JSON, NOW)).hasMessageContaining("expired");
        assertThatThrownBy(() -> SignInToken.read(jwt("{\"sub\":\"alice\"}"), JSON, NOW)).hasMessageContaining("no expiry");
        assertThatThrownBy(() -> SignInToken.read("-----BEGIN PRIVATE KEY----- secret", JSON, NOW))
                .hasMessageNotContaining("secret").hasMessageContaining("not a JWT");
        assertThatThrownBy(() -> SignInToken.read(" ", JSON, NOW)).hasMessageContaining("paste");
    }
}
