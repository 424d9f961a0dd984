package dev.keyline.certificate.egress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundTargetTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://api.example.com                       | api.example.com            | 443  | /
            https://api.example.com/                      | api.example.com            | 443  | /
            HTTPS://API.Example.COM./v1/pay?x=1&y=%2F     | api.example.com            | 443  | /v1/pay?x=1&y=%2F
            https://api.example.com?q=1                   | api.example.com            | 443  | /?q=1
            https://api.example.com:8443/a/b              | api.example.com            | 8443 | /a/b
            https://api.example.com:443/                  | api.example.com            | 443  | /
            https://bücher.example/                       | xn--bcher-kva.example      | 443  | /
            https://10.1.2.3:9443/x                       | 10.1.2.3                   | 9443 | /x
            https://[2001:DB8::1]:8443/x                  | 2001:db8::1                | 8443 | /x
            https://[::1]/                                | ::1                        | 443  | /
            https://a.example/p;v=1/~user/(x)!*'$,:@      | a.example                  | 443  | /p;v=1/~user/(x)!*'$,:@
            """)
    void parsesHttpsUrls(String url, String host, int port, String pathAndQuery) {
        OutboundTarget target = OutboundTarget.parseUrl(url);

        assertThat(target).isEqualTo(new OutboundTarget(host, port, pathAndQuery));
    }

    @ParameterizedTest(name = "[{index}] {0} rejected: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                                   | empty
            ''                                     | empty
            http://api.example.com/                | plain http
            ftp://api.example.com/                 | only https
            api.example.com/x                      | must start with https://
            //api.example.com/x                    | must start with https://
            https://user@api.example.com/          | user info
            https://user:pw@api.example.com/       | user info
            https://api.example.com@evil.example/  | user info
            https://api.example.com/#frag          | fragment
            https://api.example.com#@evil.example/ | fragment
            https://api.example.com\\@evil/        | backslash
            https:///path                          | no host
            https://                               | no host
            https://:443/                          | no host
            https://api.example.com:/              | port
            https://api.example.com:0/             | port
            https://api.example.com:65536/         | port
            https://api.example.com:99999999/      | port
            https://api.example.com:8x/            | port
            https://api.example.com:-1/            | port
            https://2001:db8::1/                   | brackets
            https://[2001:db8::1/                  | closing
            https://[2001:db8::1]x/                | after ']'
            https://a b.example/                   | spaces
            'https://api.example.com/a b'          | spaces
            https://api.example.com/%zz            | hex digits
            https://api.example.com/%2             | hex digits
            https://api.example.com/<script>       | percent-encoded
            https://api.example.com/ü              | percent-encoded
            https://bad_host.example/              | letters, digits
            https://*.example.com/                 | '*'
            """)
    void rejectsUrls(String url, String reasonFragment) {
        assertThatThrownBy(() -> OutboundTarget.parseUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reasonFragment);
    }

    @Test
    void rejectsControlCharactersThatCouldSplitTheRequestLine() {
        assertThatThrownBy(() -> OutboundTarget.parseUrl("https://api.example.com/a\r\nHost: evil"))
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> OutboundTarget.of("api.example.com", 443, "/a\r\nX: y"))
                .hasMessageContaining("percent-encoded");
    }

    @Test
    void buildsFromFields() {
        OutboundTarget target = OutboundTarget.of("[2001:db8::1]", 8443, null);

        assertThat(target.host()).isEqualTo("2001:db8::1");
        assertThat(target.pathAndQuery()).isEqualTo("/");
        assertThat(target.ipLiteral()).isTrue();
        assertThat(target.hostHeader()).isEqualTo("[2001:db8::1]:8443");
        assertThat(target.url()).isEqualTo("https://[2001:db8::1]:8443/");
    }

    @Test
    void hostHeaderOmitsTheDefaultPort() {
        assertThat(OutboundTarget.of("Api.Example.com", 443, "/x").hostHeader()).isEqualTo("api.example.com");
        assertThat(OutboundTarget.of("api.example.com", 8443, "/x").hostHeader()).isEqualTo("api.example.com:8443");
        assertThat(OutboundTarget.of("api.example.com", 443, "/x").ipLiteral()).isFalse();
    }

    @Test
    void rejectsBadFields() {
        assertThatThrownBy(() -> OutboundTarget.of("api.example.com", 0, "/")).hasMessageContaining("port");
        assertThatThrownBy(() -> OutboundTarget.of("api.example.com", 70000, "/")).hasMessageContaining("port");
        assertThatThrownBy(() -> OutboundTarget.of("api.example.com", 443, "x")).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> OutboundTarget.of("", 443, "/")).hasMessageContaining("empty");
    }
}
