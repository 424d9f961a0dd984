package dev.keyline.connection.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a stored key may sign in: the account's own Snowflake names, the allow-list, loopback locally. */
class SnowflakeHostPolicyTest {

    private final SnowflakeHostPolicy production = new SnowflakeHostPolicy(false, List.of("sf-proxy.corp.example",
            "*.pl.corp.example"));
    private final SnowflakeHostPolicy local = new SnowflakeHostPolicy(true, List.of());

    @ParameterizedTest(name = "{0} @ {1}")
    @CsvSource({
            "myorg-acct, myorg-acct.snowflakecomputing.com",
            "myorg-acct, https://MyOrg-Acct.snowflakecomputing.com:443",
            "myorg_acct, myorg-acct.snowflakecomputing.com",
            "myorg-acct, myorg-acct.privatelink.snowflakecomputing.com",
            "xy12345.eu-central-1, xy12345.eu-central-1.snowflakecomputing.com",
            "xy12345.eu-central-1, xy12345.eu-central-1.privatelink.snowflakecomputing.com",
            "xy12345, xy12345.us-east-2.aws.snowflakecomputing.com",
            "xy12345, xy12345.us-east-2.aws.privatelink.snowflakecomputing.com",
            "xy12345, xy12345.cn-north-1.aws.snowflakecomputing.cn",
            "acme, sf-proxy.corp.example",
            "acme, acme.pl.corp.example",
    })
    void theAccountsOwnEndpointsAndAllowedHostsAreAccepted(String account, String host) {
        assertThat(production.resolve(account, host).plainHttp()).isFalse();
    }

    @ParameterizedTest(name = "{0} @ {1}")
    @CsvSource({
            "acme, evil.example.com",
            "acme, other.snowflakecomputing.com",
            "acme, acme.snowflakecomputing.com.evil.example",
            "acme, acmeX.snowflakecomputing.com",
            "acme, x.acme.snowflakecomputing.com",
            "xy12345.eu-central-1, xy12345.us-east-1.snowflakecomputing.com",
            "xy12345, xy12345.a.b.c.snowflakecomputing.com",
            "acme, pl.corp.example",
            "acme, sf-proxy.corp.example.evil",
            "acme, 10.0.0.5",
    })
    void everythingElseIsRefused(String account, String host) {
        assertThatThrownBy(() -> production.resolve(account, host)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snowflakecomputing.com");
    }

    @Test
    void loopbackAndPlainHttpAreALocalOnlySetting() {
        for (String loopback : new String[] { "http://127.0.0.1:8085", "https://localhost:8443", "https://127.0.0.1:8443",
                "https://[::1]:8443" }) {
            assertThatThrownBy(() -> production.resolve("acme", loopback)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(local.resolve("acme", "http://127.0.0.1:8085").plainHttp()).isTrue();
        assertThat(local.resolve("acme", "https://localhost:8443").url()).isEqualTo("https://localhost:8443");
        assertThatThrownBy(() -> local.resolve("acme", "https://evil.example.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noHostMeansTheAccountsDefaultEndpoint() {
        assertThat(production.resolve("myorg_acct", null).url()).isEqualTo("https://myorg-acct.snowflakecomputing.com");
    }
}
