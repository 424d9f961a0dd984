package dev.keyline.certificate.egress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExchangeRequestTest {

    @ParameterizedTest
    @ValueSource(strings = {"Host", "content-length", "Transfer-Encoding", "CONNECTION", "Upgrade", "TE", "Trailer",
            "Keep-Alive", "Proxy-Connection", "Expect"})
    void refusesHeadersTheClientOwns(String name) {
        assertThatThrownBy(() -> ExchangeRequest.of("GET", Map.of(name, List.of("x")), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set by the client");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b", "caf\u00e9"})
    void refusesHeaderValuesThatCouldSplitTheRequest(String value) {
        assertThatThrownBy(() -> new HttpHeader("X-Value", value)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "X:Y", "X\r\nY", "Ünicode"})
    void refusesInvalidHeaderNames(String name) {
        assertThatThrownBy(() -> new HttpHeader(name, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONNECT", "TRACE", "OPTIONS", "GET ", "", "G\r\nET"})
    void refusesOtherMethods(String method) {
        assertThatThrownBy(() -> new ExchangeRequest(method, List.of(), null))
                .hasMessageContaining("method must be one of");
    }

    @Test
    void encodesTheRequestHead() {
        ExchangeRequest request = new ExchangeRequest("post",
                List.of(new HttpHeader("Authorization", "Bearer t"), new HttpHeader("X-Tab", "a\tb")),
                "{}".getBytes(StandardCharsets.US_ASCII));

        String head = new String(Http1RequestHead.encode(OutboundTarget.of("api.example.com", 8443, "/v1?x=1"), request),
                StandardCharsets.US_ASCII);

        assertThat(head).isEqualTo("POST /v1?x=1 HTTP/1.1\r\nHost: api.example.com:8443\r\nAuthorization: Bearer t\r\n"
                + "X-Tab: a\tb\r\nContent-Length: 2\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aKeptConnectionSendsNoConnectionHeader() {
        String head = new String(Http1RequestHead.encode(OutboundTarget.of("api.example.com", 443, "/"),
                ExchangeRequest.get(), true), StandardCharsets.US_ASCII);

        assertThat(head).isEqualTo("GET / HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
    }

    @Test
    void sendsAZeroContentLengthForBodylessPost() {
        String head = new String(Http1RequestHead.encode(OutboundTarget.of("api.example.com", 443, "/"),
                new ExchangeRequest("POST", List.of(), null)), StandardCharsets.US_ASCII);
        String get = new String(Http1RequestHead.encode(OutboundTarget.of("api.example.com", 443, "/"),
                ExchangeRequest.get()), StandardCharsets.US_ASCII);

        assertThat(head).contains("Host: api.example.com\r\n").contains("Content-Length: 0\r\n");
        assertThat(get).doesNotContain("Content-Length");
    }

    @Test
    void neverPrintsHeaderValuesOrBody() {
        ExchangeRequest request = new ExchangeRequest("POST", List.of(new HttpHeader("Authorization", "Bearer secret")),
                "secret-body".getBytes(StandardCharsets.US_ASCII));

        assertThat(request.toString()).doesNotContain("secret").contains("Authorization").contains("11 bytes");
    }

    @Test
    void isImmutable() {
        byte[] body = {1, 2, 3};
        ExchangeRequest request = new ExchangeRequest("PUT", List.of(), body);
        body[0] = 9;
        request.body()[1] = 9;

        assertThat(request.body()).containsExactly(1, 2, 3);
        assertThat(request).isEqualTo(new ExchangeRequest("put", List.of(), new byte[] {1, 2, 3}));
    }
}
