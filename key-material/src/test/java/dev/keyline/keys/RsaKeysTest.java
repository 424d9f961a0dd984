package dev.keyline.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RsaKeysTest {

  @ParameterizedTest
  @ValueSource(ints = {2048, 3072, 4096})
  void generatesCrtKeysOfTheRequestedSize(int bits) {
    KeyPair pair = RsaKeys.generate(bits);

    assertThat(pair.getPrivate()).isInstanceOf(RSAPrivateCrtKey.class);
    RSAPrivateCrtKey key = (RSAPrivateCrtKey) pair.getPrivate();
    assertThat(key.getModulus().bitLength()).isEqualTo(bits);
    assertThat(key.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
    assertThat(((RSAPublicKey) pair.getPublic()).getModulus()).isEqualTo(key.getModulus());

    ParsedPrivateKey parsed = PrivateKeys.parse(TestPem.pkcs8(pair), null);
    assertThat(parsed.publicKey()).isEqualTo(pair.getPublic());
    assertThat(parsed.sizeBits()).isEqualTo(bits);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1024, 2047, 2049, 8192})
  void rejectsOtherSizes(int bits) {
    assertThatThrownBy(() -> RsaKeys.generate(bits)).isInstanceOf(IllegalArgumentException.class);
  }
}
