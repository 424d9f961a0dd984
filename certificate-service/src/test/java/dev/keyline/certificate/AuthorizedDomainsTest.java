package dev.keyline.certificate;

import dev.keyline.certificate.AuthorizedDomains.InvalidDomainsException;
import dev.keyline.certificate.AuthorizedDomains.InvalidDomainsException.EntryError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The authorized-domain rule, one table per concern. */
class AuthorizedDomainsTest {

    @ParameterizedTest(name = "[{index}] entry {0} vs {1}:{2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # --- exact host, label boundaries
            api.example.com         | api.example.com               | 443   | true
            api.example.com         | www.example.com               | 443   | false
            api.example.com         | example.com                   | 443   | false
            api.example.com         | x.api.example.com             | 443   | false
            api.example.com         | evilapi.example.com           | 443   | false
            api.example.com         | api.example.com.evil.com      | 443   | false
            api.example.com         | api.example.co                | 443   | false
            # --- case on either side
            api.example.com         | API.Example.COM               | 443   | true
            API.EXAMPLE.COM         | api.example.com               | 443   | true
            # --- one trailing dot on either side
            api.example.com         | api.example.com.              | 443   | true
            api.example.com.        | api.example.com               | 443   | true
            api.example.com         | api.example.com..             | 443   | false
            # --- wildcard: exactly one extra left-most label
            *.example.com           | a.example.com                 | 443   | true
            *.example.com           | api-2.example.com             | 443   | true
            *.example.com           | 1.example.com                 | 443   | true
            *.example.com           | API.EXAMPLE.COM               | 443   | true
            *.EXAMPLE.com           | api.example.com               | 443   | true
            *.example.com           | a.example.com.                | 443   | true
            *.example.com.          | a.example.com                 | 443   | true
            *.example.com           | example.com                   | 443   | false
            *.example.com           | example.com.                  | 443   | false
            *.example.com           | a.b.example.com               | 443   | false
            *.example.com           | evilexample.com               | 443   | false
            *.example.com           | a.evilexample.com             | 443   | false
            *.example.com           | example.com.evil.com          | 443   | false
            *.example.com           | a.example.com.evil.com        | 443   | false
            *.example.com           | .example.com                  | 443   | false
            *.example.com           | a.example.org                 | 443   | false
            *.example.com           | a_b.example.com               | 443   | false
            *.sub.example.com       | a.sub.example.com             | 443   | true
            *.sub.example.com       | sub.example.com               | 443   | false
            *.sub.example.com       | a.example.com                 | 443   | false
            *.sub.example.com       | a.evilsub.example.com         | 443   | false
            # --- IDN / punycode, both directions
            *.bücher.example        | shop.xn--bcher-kva.example    | 443   | true
            *.xn--bcher-kva.example | shop.bücher.example           | 443   | true
            *.BÜCHER.example        | shop.bücher.example           | 443   | true
            *.example.com           | bücher.example.com            | 443   | true
            bücher.example          | xn--bcher-kva.example         | 443   | true
            xn--bcher-kva.example   | BÜCHER.example                | 443   | true
            *.bücher.example        | xn--bcher-kva.example         | 443   | false
            *.bücher.example        | shop.bucher.example           | 443   | false
            münchen.example         | muenchen.example              | 443   | false
            # --- ports: implicit 443 equals :443, other ports are distinct
            api.example.com         | api.example.com               | 8443  | false
            api.example.com:443     | api.example.com               | 443   | true
            api.example.com:8443    | api.example.com               | 8443  | true
            api.example.com:8443    | api.example.com               | 443   | false
            *.example.com:8443      | a.example.com                 | 8443  | true
            *.example.com:8443      | a.example.com                 | 443   | false
            *.example.com           | a.example.com                 | 8443  | false
            api.example.com         | api.example.com               | 0     | false
            api.example.com         | api.example.com               | 65536 | false
            # --- IPv4 literals: exact only, strict dotted quad
            10.1.2.3                | 10.1.2.3                      | 443   | true
            10.1.2.3:8443           | 10.1.2.3                      | 8443  | true
            10.1.2.3:8443           | 10.1.2.3                      | 443   | false
            10.1.2.3                | 10.1.2.4                      | 443   | false
            10.1.2.3                | 10.1.2.30                     | 443   | false
            10.1.2.3                | 010.1.2.3                     | 443   | false
            127.0.0.1               | 127.1                         | 443   | false
            10.1.2.3                | a.10.1.2.3                    | 443   | false
            # --- IPv6 literals: exact only, any spelling of the same address
            [2001:db8::1]           | 2001:db8::1                   | 443   | true
            [2001:db8::1]           | [2001:db8::1]                 | 443   | true
            2001:db8::1             | 2001:0DB8:0000::0001          | 443   | true
            [2001:db8::1]:8443      | [2001:DB8:0:0:0:0:0:1]        | 8443  | true
            [2001:db8::1]:8443      | 2001:db8::1                   | 443   | false
            [2001:db8::1]           | 2001:db8::2                   | 443   | false
            [::ffff:10.1.2.3]       | 10.1.2.3                      | 443   | true
            """)
    void coversHostAndPort(String entry, String host, int port, boolean allowed) {
        AuthorizedDomains domains = AuthorizedDomains.parse(List.of(entry));

        DomainMatch match = domains.match(host, port);

        assertThat(match.allowed()).as(match.reason()).isEqualTo(allowed);
        assertThat(match.reason()).isNotBlank();
        if (allowed) {
            assertThat(match.matchedRule()).isEqualTo(domains.canonical().get(0));
        } else {
            assertThat(match.matchedRule()).isNull();
        }
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' rejected: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            *                       | lone '*'
            *:443                   | lone '*'
            ''                      | empty
            '   '                   | empty
            *.com                   | public suffix
            *.COM.                  | public suffix
            *.co.uk                 | public suffix
            *.github.io             | public suffix
            *.s3.amazonaws.com      | public suffix
            *.compute-1.amazonaws.com | public suffixes
            *.kawasaki.jp           | public suffixes
            *.example               | top-level domain
            a*.example.com          | left-most label
            api.*.com               | left-most label
            **.example.com          | left-most label
            *.*.example.com         | left-most label
            *example.com            | left-most label
            example.*               | left-most label
            *.1.2.3                 | IP addresses
            *.10.1.2.3              | IP addresses
            *.[2001:db8::1]         | IP addresses
            *.2001:db8::1           | IP addresses
            a..b.example.com        | empty label
            .example.com            | empty label
            example.com..           | empty label
            *.                      | empty
            a_b.example.com         | letters, digits
            exa mple.com            | letters, digits
            -a.example.com          | hyphen
            a-.example.com          | hyphen
            api.example.com:0       | port
            api.example.com:65536   | port
            api.example.com:        | port
            api.example.com:https   | port
            api.example.com:-1      | port
            https://api.example.com | not a URL
            api.example.com/x       | path
            user@api.example.com    | user info
            api.example.com?x=1     | query
            api.example.com#top     | fragment
            [2001:db8::1            | without a closing
            [2001:db8::1]x          | after ']'
            [example.com]           | IPv6
            2001:db8::g             | IPv6
            fe80::1%eth0            | IPv6
            010.1.2.3               | dotted quad
            127.1                   | dotted quad
            256.1.1.1               | dotted quad
            1.2.3.4.5               | dotted quad
            """)
    void rejectsEntry(String entry, String reasonFragment) {
        InvalidDomainsException e = catchThrowableOfType(InvalidDomainsException.class,
                () -> AuthorizedDomains.parse(List.of("ok.example.com", entry)));

        assertThat(e).as("'%s' should be rejected", entry).isNotNull();
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.index()).isEqualTo(1);
            assertThat(error.reason()).containsIgnoringCase(reasonFragment);
        });
    }

    static Stream<Arguments> oversizedEntries() {
        String longLabel = "a".repeat(64);
        String label63 = "a".repeat(63);
        String name254 = String.join(".", label63, label63, label63, "a".repeat(61)) ; // 63*3 + 61 + 3 dots = 253
        return Stream.of(
                Arguments.of(longLabel + ".example.com", "63"),
                Arguments.of("*." + longLabel + ".example.com", "63"),
                Arguments.of(name254 + "a", "253"),
                Arguments.of("*." + name254, "253"),
                Arguments.of("x".repeat(5000), "253"));
    }

    @ParameterizedTest(name = "[{index}] oversized entry rejected: {1}")
    @MethodSource("oversizedEntries")
    void rejectsOversizedEntry(String entry, String reasonFragment) {
        InvalidDomainsException e = catchThrowableOfType(InvalidDomainsException.class,
                () -> AuthorizedDomains.parse(List.of(entry)));

        assertThat(e).isNotNull();
        assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.reason()).contains(reasonFragment));
    }

    @Test
    void acceptsLongestLegalNames() {
        String label63 = "a".repeat(63);
        String name253 = String.join(".", label63, label63, label63, "a".repeat(61));

        assertThat(name253).hasSize(253);
        assertThat(AuthorizedDomains.parse(List.of(name253)).canonical()).containsExactly(name253);
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' stored as ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            api.example.com          | api.example.com
            '  API.Example.COM.  '   | api.example.com
            api.example.com:443      | api.example.com
            api.example.com:08443    | api.example.com:8443
            *.Example.com:8443       | *.example.com:8443
            *.bücher.example         | *.xn--bcher-kva.example
            BÜCHER.example:8443      | xn--bcher-kva.example:8443
            10.1.2.3                 | 10.1.2.3
            10.1.2.3:8443            | 10.1.2.3:8443
            2001:DB8:0::1            | [2001:db8::1]
            [2001:db8::1]:8443       | [2001:db8::1]:8443
            [::1]:443                | [::1]
            localhost:8443           | localhost:8443
            """)
    void storesCanonicalForm(String entry, String canonical) {
        AuthorizedDomains domains = AuthorizedDomains.parse(List.of(entry));

        assertThat(domains.canonical()).containsExactly(canonical);
        assertThat(AuthorizedDomains.parse(domains.canonical()).rules()).isEqualTo(domains.rules());
    }

    @Test
    void reportsEveryBadEntryWithItsIndex() {
        List<String> entries = Arrays.asList("api.example.com", "*", "ok.example.com:8443", "*.com", null, "a.com/x");

        InvalidDomainsException e = catchThrowableOfType(InvalidDomainsException.class,
                () -> AuthorizedDomains.parse(entries));

        assertThat(e.errors()).extracting(EntryError::index).containsExactly(1, 3, 4, 5);
        assertThat(e.getMessage()).contains("[1]", "[3]", "[4]", "[5]").doesNotContain("[0]", "[2]");
    }

    @Test
    void deduplicatesEntriesThatNormaliseToTheSameRule() {
        AuthorizedDomains domains = AuthorizedDomains.parse(List.of(
                "api.example.com", "API.example.com.", "api.example.com:443", "*.example.com", "*.EXAMPLE.com:443",
                "api.example.com:8443"));

        assertThat(domains.canonical()).containsExactly("api.example.com", "*.example.com", "api.example.com:8443");
    }

    @Test
    void firstCoveringRuleIsReported() {
        AuthorizedDomains domains = AuthorizedDomains.parse(List.of("*.example.com", "api.example.com"));

        assertThat(domains.match("api.example.com", 443).matchedRule()).isEqualTo("*.example.com");
    }

    @Test
    void refusalNamesThePortsTheHostIsAuthorizedOn() {
        AuthorizedDomains domains = AuthorizedDomains.parse(List.of("api.example.com:8443", "api.example.com:9443"));

        DomainMatch match = domains.match("API.example.com", 443);

        assertThat(match).isEqualTo(new DomainMatch(false, "api.example.com", 443, null,
                "api.example.com is authorized only on port(s) 8443, 9443, not 443"));
    }

    @Test
    void invalidHostAtMatchTimeIsRefusedNotThrown() {
        DomainMatch match = AuthorizedDomains.parse(List.of("*.example.com")).match("a_b.example.com", 443);

        assertThat(match.allowed()).isFalse();
        assertThat(match.normalisedHost()).isNull();
        assertThat(match.reason()).startsWith("invalid host:");
    }

    @Test
    void emptyListAllowsNothing() {
        AuthorizedDomains domains = AuthorizedDomains.parse(new ArrayList<>());

        assertThat(domains.rules()).isEmpty();
        assertThat(domains.match("example.com", 443).allowed()).isFalse();
    }
}
