package dev.keyline.connection.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keyline.common.problem.ProblemException;
import dev.keyline.keys.PublicKeys;
import dev.keyline.keys.RsaKeys;

/** The validator's pure rules: public keys for slots and API base URLs (#13 item 5). */
class ConnectionValidatorTest {

    @Test
    void rsaPublicKeysOfAtLeast2048BitsAreAcceptedAsPemOrBareBase64() {
        KeyPair rsa = RsaKeys.generate(2048);
        assertThat(ConnectionValidator.publicKey(PublicKeys.toPem(rsa.getPublic()))).isEqualTo(rsa.getPublic());
        assertThat(ConnectionValidator.publicKey(Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded())))
                .isEqualTo(rsa.getPublic());
    }

    @Test
    void otherKeysAreRefusedOnThePublicKeyField() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String ecPem = PublicKeys.toPem(ec.generateKeyPair().getPublic());
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        String smallPem = PublicKeys.toPem(small.generateKeyPair().getPublic());
        for (String text : new String[] { ecPem, smallPem, "not a key", "", null }) {
            assertThatThrownBy(() -> ConnectionValidator.publicKey(text)).isInstanceOf(ProblemException.class)
                    .satisfies(e -> {
                        ProblemException p = (ProblemException) e;
                        assertThat(p.status()).isEqualTo(400);
                        assertThat(p.errors()).extracting(f -> f.field()).containsExactly("publicKey");
                    });
        }
    }

    @Test
    void baseUrlsAreNormalisedHttpsUrls() {
        assertThat(ConnectionValidator.baseUrl("https://API.Partner.test/v1/")).isEqualTo("https://api.partner.test/v1/");
        assertThat(ConnectionValidator.baseUrl("https://api.partner.test")).isEqualTo("https://api.partner.test/");
        assertThat(ConnectionValidator.baseUrl("https://api.partner.test:8443/x?t=1")).isEqualTo("https://api.partner.test:8443/x?t=1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://api.partner.test/", "https://user@api.partner.test/", "https://api.partner.test/#f",
            "ftp://api.partner.test/", "not a url", "https:///path", " " })
    void otherBaseUrlsAreRefused(String url) {
        assertThatThrownBy(() -> ConnectionValidator.baseUrl(url)).isInstanceOf(IllegalArgumentException.class);
    }
}
