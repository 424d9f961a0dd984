package dev.keyline.certificate.host;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one host normal form; the domain-rule and URL tables exercise it too, through {@link HostPort}. */
class HostNameTest {

    @ParameterizedTest(name = "[{index}] normalise(''{0}'') = ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            Example.COM                 | example.com
            example.com.                | example.com
            ' example.com '             | example.com
            ＥＸＡＭＰＬＥ.com          | example.com
            example。com                | example.com
            shop.Bücher.example         | shop.xn--bcher-kva.example
            10.0.0.1                    | 10.0.0.1
            [::1]                       | ::1
            0:0:0:0:0:0:0:1             | ::1
            2001:DB8:0:0:1:0:0:1        | 2001:db8::1:0:0:1
            fe80:0:0:0:0:0:0:0          | fe80::
            ::ffff:127.0.0.1            | 127.0.0.1
            localhost                   | localhost
            """)
    void normalisesHost(String host, String expected) {
        assertThat(HostName.normalise(host)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] normalise(''{0}'') fails: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                  | empty
            ''                    | empty
            '  '                  | empty
            .                     | empty
            a..b                  | empty label
            example.com..         | empty label
            a_b.example.com       | letters, digits
            'exa mple.com'        | letters, digits
            example.com/x         | letters, digits
            *.example.com         | '*'
            -bad.example          | hyphen
            [::1                  | brackets
            ::1]                  | brackets
            [10.0.0.1]            | IPv6
            1::g                  | IPv6
            fe80::1%eth0          | IPv6
            example.com:443       | must not include a port
            10.0.0.1:443          | must not include a port
            'localhost: y'        | letters, digits
            example.com:          | letters, digits
            127.1                 | dotted quad
            0x7f.0.0.1            | dotted quad
            999.1.1.1             | dotted quad
            """)
    void rejectsInvalidHost(String host, String reasonFragment) {
        assertThatThrownBy(() -> HostName.normalise(host))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reasonFragment);
    }

    @ParameterizedTest(name = "[{index}] {0} literal={1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1            | true
            2001:db8::1         | true
            ::1                 | true
            example.com         | false
            1.example.com       | false
            """)
    void tellsIpLiteralsFromNames(String normalised, boolean literal) {
        assertThat(HostName.isIpLiteral(normalised)).isEqualTo(literal);
    }
}
