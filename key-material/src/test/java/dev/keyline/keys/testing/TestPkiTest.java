package dev.keyline.keys.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.keys.Certificates;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.KeyPairs;
import dev.keyline.keys.ParsedPrivateKey;
import dev.keyline.keys.PrivateKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @Test
  void caIsSelfSignedCa() throws Exception {
    Issued ca = TestPki.ca("Test CA");
    X509Certificate c = ca.certificate();

    assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(c.getSubjectX500Principal()).isEqualTo(c.getIssuerX500Principal());
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=Test CA");
    assertThat(c.getKeyUsage()[5]).as("keyCertSign").isTrue();
    c.verify(c.getPublicKey());
    assertThat(((RSAPublicKey) c.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
  }

  @Test
  void serverCertificateIsIssuedByCaWithSansAndServerAuth() throws Exception {
    Issued ca = TestPki.ca("Test CA");
    Issued server = TestPki.server(ca, "localhost", "localhost", "127.0.0.1", "::1");
    X509Certificate c = server.certificate();

    c.verify(ca.certificate().getPublicKey());
    assertThat(c.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(c.getBasicConstraints()).isEqualTo(-1);
    assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(c.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
        .containsExactly((Object) "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    c.checkValidity();
  }

  @Test
  void serverWithoutSansUsesCnAsDnsName() throws Exception {
    Issued server = TestPki.server(TestPki.ca("CA"), "api.keyline.test");
    assertThat(server.certificate().getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly((Object) "api.keyline.test");
  }

  @Test
  void clientCertificateHasClientAuth() throws Exception {
    Issued ca = TestPki.ca("Test CA");
    Issued client = TestPki.client(ca, "CN=svc-reporting,O=Keyline");

    assertThat(client.certificate().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(client.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=svc-reporting,O=Keyline");
    client.certificate().verify(ca.certificate().getPublicKey());
  }

  @Test
  void validityWindowsForExpiredAndSoonExpiring() {
    Issued ca = TestPki.ca("Test CA");
    Instant now = Instant.now();
    Issued expired = TestPki.certificate("expired").issuedBy(ca).clientAuth()
        .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issue();
    Issued expiring = TestPki.certificate("expiring").issuedBy(ca).clientAuth().validFor(Duration.ofDays(3)).issue();
    Issued selfSignedExpired = TestPki.selfSigned("old.keyline.test", 2048, Duration.ofDays(-2));

    assertThatThrownBy(() -> expired.certificate().checkValidity()).isInstanceOf(CertificateExpiredException.class);
    assertThatThrownBy(() -> selfSignedExpired.certificate().checkValidity()).isInstanceOf(CertificateExpiredException.class);
    assertThatCode(() -> expiring.certificate().checkValidity()).doesNotThrowAnyException();
    assertThat(expiring.certificate().getNotAfter().toInstant()).isBetween(now.plus(Duration.ofDays(3)).minusSeconds(5), now.plus(Duration.ofDays(3)).plusSeconds(5));
  }

  @Test
  void selfSigned() throws Exception {
    Issued issued = TestPki.selfSigned("self.keyline.test", 3072, Duration.ofDays(10));
    X509Certificate c = issued.certificate();

    c.verify(c.getPublicKey());
    assertThat(((RSAPublicKey) c.getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
    assertThat(c.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThat(c.getBasicConstraints()).isEqualTo(-1);
  }

  @Test
  void pemRenderingsParseWithTheLibraryAndMatchTheCertificate() {
    Issued client = TestPki.client(TestPki.ca("CA"), "client");
    char[] passphrase = "fixture".toCharArray();

    for (ParsedPrivateKey key : List.of(
        PrivateKeys.parse(client.privateKeyPkcs8Pem(), null),
        PrivateKeys.parse(client.privateKeyPkcs1Pem(), null),
        PrivateKeys.parse(client.encryptedPkcs8Pem(passphrase), passphrase))) {
      assertThat(KeyPairs.matches(key, client.certificate())).isTrue();
    }
    assertThat(client.privateKeyPkcs1Pem()).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
    assertThat(client.encryptedPkcs8Pem(passphrase)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
    assertThat(Certificates.parseChain(client.certificatePem())).containsExactly(client.certificate());
    assertThat(client.spkiFingerprint()).isEqualTo(Fingerprints.spkiSha256(client.certificate().getPublicKey()));
    assertThatThrownBy(client::privateKeySec1Pem).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void ecP256Option() {
    Issued ca = TestPki.ca("EC CA", KeyType.EC_P256);
    Issued client = TestPki.client(ca, "ec-client", KeyType.EC_P256);

    assertThat(client.certificate().getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(client.certificate().getSigAlgName()).isEqualToIgnoringCase("SHA256withECDSA");
    assertThat(KeyPairs.matches(PrivateKeys.parse(client.privateKeySec1Pem(), null), client.certificate())).isTrue();
    assertThat(KeyPairs.matches(PrivateKeys.parse(client.privateKeyPkcs8Pem(), null), client.certificate())).isTrue();
    assertThatThrownBy(client::privateKeyPkcs1Pem).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void opensslVerifiesTheChain(@TempDir Path dir) throws Exception {
    Issued root = TestPki.ca("Root");
    Issued intermediate = TestPki.intermediateCa(root, "Intermediate");
    Issued server = TestPki.server(intermediate, "localhost");
    Files.writeString(dir.resolve("root.pem"), root.certificatePem());
    Files.writeString(dir.resolve("intermediate.pem"), intermediate.certificatePem());
    Files.writeString(dir.resolve("server.pem"), server.certificatePem());

    Process process = new ProcessBuilder("openssl", "verify", "-purpose", "sslserver",
        "-CAfile", "root.pem", "-untrusted", "intermediate.pem", "server.pem")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("server.pem: OK");
  }

  @Test
  void mutualTlsHandshakeWorksAndRejectsForeignClients() throws Exception {
    Issued ca = TestPki.ca("mTLS CA");
    Issued server = TestPki.server(ca, "localhost", "localhost", "127.0.0.1");
    Issued client = TestPki.client(ca, "good-client");
    Issued foreign = TestPki.client(TestPki.ca("Other CA"), "foreign-client");

    assertThat(handshake(server, ca, client)).isEqualTo("CN=good-client");
    assertThatThrownBy(() -> handshake(server, ca, foreign)).isInstanceOf(IOException.class);
  }

  /** One TLS exchange; returns the client certificate subject the server saw. */
  private static String handshake(Issued server, Issued ca, Issued client) throws Exception {
    try (SSLServerSocket listener = (SSLServerSocket) TestPki.sslContext(server, ca).getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      listener.setSoTimeout(10_000);
      CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.setSoTimeout(10_000);
          String subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
          socket.getOutputStream().write(1);
          socket.getOutputStream().flush();
          return subject;
        } catch (IOException e) {
          return "failed: " + e.getClass().getSimpleName();
        }
      });
      try (SSLSocket socket = (SSLSocket) TestPki.sslContext(client, ca).getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        InputStream in = socket.getInputStream();
        OutputStream unused = socket.getOutputStream();
        if (in.read() != 1) {
          throw new IOException("server closed the connection");
        }
      }
      return seen.get(20, TimeUnit.SECONDS);
    }
  }
}
