package dev.keyline.connection.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.api.Test;

/** Where the driver connects, and what is refused. */
class SnowflakeEndpointTest {

    @Test
    void realSnowflakeByDefault() {
        SnowflakeEndpoint e = SnowflakeEndpoint.resolve("MyOrg-My_Account", null, false);
        assertThat(e.url()).isEqualTo("https://myorg-my-account.snowflakecomputing.com");
        assertThat(e.jdbcUrl()).isEqualTo("jdbc:snowflake://myorg-my-account.snowflakecomputing.com:443/");
        assertThat(e.plainHttp()).isFalse();
        assertThat(SnowflakeEndpoint.resolve("xy12345.eu-central-1", " ", false).url())
                .isEqualTo("https://xy12345.eu-central-1.snowflakecomputing.com");
    }

    @ParameterizedTest
    @CsvSource({
            "https://acme.privatelink.snowflakecomputing.com, https://acme.privatelink.snowflakecomputing.com, jdbc:snowflake://acme.privatelink.snowflakecomputing.com:443/",
            "acme.example.com, https://acme.example.com, jdbc:snowflake://acme.example.com:443/",
            "HTTPS://Acme.Example.com:8443/, https://acme.example.com:8443, jdbc:snowflake://acme.example.com:8443/",
            "https://acme.example.com:443, https://acme.example.com, jdbc:snowflake://acme.example.com:443/" })
    void hostOverridesAreHttps(String host, String url, String jdbc) {
        SnowflakeEndpoint e = SnowflakeEndpoint.resolve("acme", host, false);
        assertThat(e.url()).isEqualTo(url);
        assertThat(e.jdbcUrl()).isEqualTo(jdbc);
    }

    @Test
    void plainHttpOnlyWhenAllowedAndOnlyOnLoopback() {
        SnowflakeEndpoint e = SnowflakeEndpoint.resolve("acme", "http://127.0.0.1:18300", true);
        assertThat(e.jdbcUrl()).isEqualTo("jdbc:snowflake://127.0.0.1:18300/?ssl=off");
        assertThat(e.plainHttp()).isTrue();
        assertThatThrownBy(() -> SnowflakeEndpoint.resolve("acme", "http://127.0.0.1:18300", false))
                .hasMessageContaining("allow-plain-http");
        assertThatThrownBy(() -> SnowflakeEndpoint.resolve("acme", "http://snowflake.example.com:80", true))
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> SnowflakeEndpoint.resolve("acme", "http://127.0.0.1", true))
                .hasMessageContaining("port");
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://user@acme.example.com", "https://acme.example.com/path", "https://acme.example.com/?x=1",
            "ftp://acme.example.com", "https://acme_example.com", "https://:443", "https://acme.example.com:0",
            "https://bad host" })
    void malformedHostsAreRefused(String host) {
        assertThatThrownBy(() -> SnowflakeEndpoint.resolve("acme", host, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accountIdentifiers() {
        assertThat(SnowflakeEndpoint.accountProblem("myorg-myaccount")).isNull();
        assertThat(SnowflakeEndpoint.accountProblem("xy12345.us-east-2.aws")).isNull();
        assertThat(SnowflakeEndpoint.accountProblem("")).isEqualTo("is required");
        assertThat(SnowflakeEndpoint.accountProblem("acme/../x")).isNotNull();
        assertThat(SnowflakeEndpoint.accountProblem("acme account")).isNotNull();
        assertThat(SnowflakeEndpoint.accountProblem("myorg-my_account")).isNull();
        // Snowflake's host name (or URL) pasted as the account: the reason names what to send.
        assertThat(SnowflakeEndpoint.accountProblem("xy12345.snowflakecomputing.com"))
                .isEqualTo("must be the account identifier without '.snowflakecomputing.com' (Keyline adds the domain): "
                        + "send \"xy12345\"");
        assertThat(SnowflakeEndpoint.accountProblem("myorg-myaccount.SNOWFLAKECOMPUTING.com")).contains("\"myorg-myaccount\"");
        assertThat(SnowflakeEndpoint.accountProblem("https://xy12345.eu-central-1.snowflakecomputing.com/console"))
                .contains("send \"xy12345.eu-central-1\"");
        assertThat(SnowflakeEndpoint.accountProblem("xy12345.privatelink.snowflakecomputing.com"))
                .isEqualTo("must be the account identifier without '.privatelink.snowflakecomputing.com' (Keyline adds "
                        + "the domain): send \"xy12345\", and the host name xy12345.privatelink.snowflakecomputing.com in "
                        + "details.host");
        assertThat(SnowflakeEndpoint.accountProblem("XY12345.cn-north-1.SnowflakeComputing.CN"))
                .contains("without '.snowflakecomputing.cn'", "send \"XY12345.cn-north-1\"",
                        "xy12345.cn-north-1.snowflakecomputing.cn in details.host");
        assertThat(SnowflakeEndpoint.accountProblem("https://example.com")).contains("not a URL", "details.host");
        assertThat(SnowflakeEndpoint.accountProblem(".snowflakecomputing.com")).contains("send the part before it");
        assertThat(SnowflakeEndpoint.accountProblem("a".repeat(63) + ".eu-central-1")).isNull();
        // Each part becomes a label of <account>.snowflakecomputing.com: no empty, over-long or hyphen-edged ones.
        for (String bad : new String[] { "a..b", "acme.", "acme-", "acme_", "acme._eu", "a".repeat(64), "xy12345.-eu" }) {
            assertThat(SnowflakeEndpoint.accountProblem(bad)).as(bad).startsWith("must be a Snowflake account identifier");
        }
    }
}
