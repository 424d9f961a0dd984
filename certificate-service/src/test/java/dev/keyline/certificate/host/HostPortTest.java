package dev.keyline.certificate.host;

import dev.keyline.certificate.AuthorizedDomains;
import dev.keyline.certificate.egress.OutboundTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one {@code host[:port]} parser. The cross-check at the end is the point of the class: a host
 * the domain rules accept is the host the egress target connects to, spelled the same.
 */
class HostPortTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1} : {2}")
    @CsvSource(delimiter = '|', textBlock = """
            api.example.com                 | api.example.com        | 443
            API.Example.COM.:8443           | api.example.com        | 8443
            api.example.com:08443           | api.example.com        | 8443
            bücher.example                  | xn--bcher-kva.example  | 443
            10.1.2.3:9443                   | 10.1.2.3               | 9443
            [2001:DB8::1]:8443              | 2001:db8::1            | 8443
            [::1]                           | ::1                    | 443
            [::ffff:10.1.2.3]               | 10.1.2.3               | 443
            """)
    void parsesAndNormalises(String text, String host, int port) {
        HostPort parsed = HostPort.parse(text, HostPort.Syntax.URL_AUTHORITY);

        assertThat(parsed).isEqualTo(new HostPort(host, port));
        assertThat(HostPort.parse(text, HostPort.Syntax.DOMAIN_ENTRY)).isEqualTo(parsed);
    }

    @ParameterizedTest(name = "[{index}] {0} rejected: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [2001:db8::1                    | closing
            [2001:db8::1]x                  | after ']'
            [2001:db8::1]:                  | port
            api.example.com:                | port
            api.example.com:0               | port
            api.example.com:65536           | port
            api.example.com:+443            | port
            api.example.com:8x              | port
            [example.com]                   | IPv6
            a_b.example.com                 | letters, digits
            """)
    void rejectsInEitherSyntax(String text, String reasonFragment) {
        for (HostPort.Syntax syntax : HostPort.Syntax.values()) {
            assertThatThrownBy(() -> HostPort.parse(text, syntax))
                    .as("%s as %s", text, syntax)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(reasonFragment);
        }
    }

    @Test
    void onlyADomainEntryMayBeABareIpv6Literal() {
        assertThat(HostPort.parse("2001:db8::1", HostPort.Syntax.DOMAIN_ENTRY)).isEqualTo(new HostPort("2001:db8::1", 443));
        assertThatThrownBy(() -> HostPort.parse("2001:db8::1", HostPort.Syntax.URL_AUTHORITY))
                .hasMessageContaining("brackets");
    }

    @ParameterizedTest(name = "[{index}] {0} : {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            api.example.com     | 443   | api.example.com
            api.example.com     | 8443  | api.example.com:8443
            2001:db8::1         | 443   | [2001:db8::1]
            2001:db8::1         | 8443  | [2001:db8::1]:8443
            """)
    void writesTheAuthorityBack(String host, int port, String authority) {
        HostPort hostPort = new HostPort(host, port);

        assertThat(hostPort.authority()).isEqualTo(authority);
        assertThat(HostPort.parse(authority, HostPort.Syntax.URL_AUTHORITY)).isEqualTo(hostPort);
    }

    /** The domain matcher and the egress target read the same text to the same host and port. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            api.example.com
            Api.Example.com.:8443
            xn--bcher-kva.example
            bücher.example:9443
            10.1.2.3:8443
            [2001:DB8:0:0::1]:8443
            [::ffff:10.1.2.3]
            """)
    void domainEntryAndUrlAgree(String authority) {
        OutboundTarget target = OutboundTarget.parseUrl("https://" + authority + "/x");
        AuthorizedDomains domains = AuthorizedDomains.parse(List.of(authority));

        assertThat(domains.canonical()).containsExactly(target.hostHeader());
        assertThat(domains.match(target.host(), target.port()).allowed()).isTrue();
    }
}
