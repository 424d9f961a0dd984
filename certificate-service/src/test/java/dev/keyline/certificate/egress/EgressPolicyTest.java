package dev.keyline.certificate.egress;

import dev.keyline.certificate.egress.EgressRefusedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EgressPolicyTest {

    private static final HostResolver NO_DNS = host -> {
        throw new AssertionError("IP literals must not be looked up: " + host);
    };

    @ParameterizedTest(name = "[{index}] {0}: {1}, default allowed={2}, private-egress allowed={3}")
    @CsvSource(delimiter = '|', textBlock = """
            8.8.8.8                   | PUBLIC      | true  | true
            93.184.216.34             | PUBLIC      | true  | true
            172.32.0.1                | PUBLIC      | true  | true
            100.128.0.1               | PUBLIC      | true  | true
            2606:4700:4700::1111      | PUBLIC      | true  | true
            64:ff9b::808:808          | PUBLIC      | true  | true
            127.0.0.1                 | LOOPBACK    | false | true
            127.255.255.254           | LOOPBACK    | false | true
            ::1                       | LOOPBACK    | false | true
            ::ffff:127.0.0.1          | LOOPBACK    | false | true
            10.0.0.1                  | PRIVATE     | false | true
            172.16.0.1                | PRIVATE     | false | true
            172.31.255.255            | PRIVATE     | false | true
            192.168.1.1               | PRIVATE     | false | true
            fc00::1                   | PRIVATE     | false | true
            fd12:3456::1              | PRIVATE     | false | true
            64:ff9b::a00:1            | PRIVATE     | false | true
            2002:a00:1::              | PRIVATE     | false | true
            100.64.0.1                | SHARED      | false | true
            100.127.255.255           | SHARED      | false | true
            169.254.1.1               | LINK_LOCAL  | false | true
            fe80::1                   | LINK_LOCAL  | false | true
            0.0.0.0                   | UNSPECIFIED | false | true
            ::                        | UNSPECIFIED | false | true
            224.0.0.1                 | MULTICAST   | false | true
            ff02::1                   | MULTICAST   | false | true
            255.255.255.255           | MULTICAST   | false | true
            240.0.0.1                 | RESERVED    | false | true
            192.0.2.10                | RESERVED    | false | true
            2001:db8::1               | RESERVED    | false | true
            169.254.169.254           | METADATA    | false | false
            169.254.170.2             | METADATA    | false | false
            100.100.100.200           | METADATA    | false | false
            fd00:ec2::254             | METADATA    | false | false
            ::ffff:169.254.169.254    | METADATA    | false | false
            64:ff9b::a9fe:a9fe        | METADATA    | false | false
            2002:a9fe:a9fe::          | METADATA    | false | false
            """)
    void classifiesAddresses(String ip, AddressScope scope, boolean allowedByDefault, boolean allowedWhenPrivateAllowed)
            throws UnknownHostException {
        assertThat(AddressScope.of(InetAddress.getByName(ip))).isEqualTo(scope);
        assertThat(allowed(new EgressPolicy(false, NO_DNS), ip)).isEqualTo(allowedByDefault);
        assertThat(allowed(new EgressPolicy(true, NO_DNS), ip)).isEqualTo(allowedWhenPrivateAllowed);
    }

    @Test
    void refusesLoopbackByDefaultAndAllowsItWhenPrivateEgressIsOn() {
        EgressRefusedException e = catchThrowableOfType(EgressRefusedException.class,
                () -> new EgressPolicy(false).resolveAndCheck("127.0.0.1"));

        assertThat(e.reason()).isEqualTo(Reason.NON_PUBLIC_ADDRESS);
        assertThat(e.getMessage()).isEqualTo(
                "127.0.0.1 is a loopback address; outbound calls to non-public addresses are disabled");
        assertThat(new EgressPolicy(true).resolveAndCheck("127.0.0.1").getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void refusesTheMetadataAddressEvenWhenPrivateEgressIsOn() {
        EgressRefusedException e = catchThrowableOfType(EgressRefusedException.class,
                () -> new EgressPolicy(true).resolveAndCheck("169.254.169.254"));

        assertThat(e.reason()).isEqualTo(Reason.METADATA_ADDRESS);
        assertThat(e.getMessage()).contains("cloud metadata");
    }

    @Test
    void refusesNamesThatResolveToPrivateAddressesWithoutNamingTheAddress() {
        EgressPolicy policy = new EgressPolicy(false, resolver(Map.of("db.internal.example", new String[] {"10.20.30.40"})));

        EgressRefusedException e = catchThrowableOfType(EgressRefusedException.class,
                () -> policy.resolveAndCheck("DB.Internal.Example."));

        assertThat(e.reason()).isEqualTo(Reason.NON_PUBLIC_ADDRESS);
        assertThat(e.getMessage()).isEqualTo("host db.internal.example resolves to a private address;"
                + " outbound calls to non-public addresses are disabled").doesNotContain("10.20.30.40");
    }

    @Test
    void refusesANameWhenAnyOfItsAddressesIsRefused() {
        EgressPolicy policy = new EgressPolicy(false,
                resolver(Map.of("mixed.example", new String[] {"93.184.216.34", "169.254.169.254"})));

        assertThatThrownBy(() -> policy.resolveAndCheck("mixed.example"))
                .isInstanceOfSatisfying(EgressRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.METADATA_ADDRESS));
    }

    @Test
    void returnsTheFirstAddressOfAPublicName() throws UnknownHostException {
        EgressPolicy policy = new EgressPolicy(false,
                resolver(Map.of("api.example.com", new String[] {"93.184.216.34", "2606:2800:220:1::1"})));

        assertThat(policy.resolveAndCheck("api.example.com")).isEqualTo(InetAddress.getByName("93.184.216.34"));
    }

    @Test
    void resolvesOnlyOnce() {
        int[] lookups = {0};
        EgressPolicy policy = new EgressPolicy(false, host -> {
            lookups[0]++;
            return new InetAddress[] {InetAddress.getByName("93.184.216.34")};
        });

        policy.resolveAndCheck("api.example.com");

        assertThat(lookups[0]).isEqualTo(1);
    }

    @Test
    void reportsUnresolvableAndInvalidHosts() {
        EgressPolicy policy = new EgressPolicy(false, resolver(Map.of()));

        assertThatThrownBy(() -> policy.resolveAndCheck("nowhere.example"))
                .isInstanceOfSatisfying(EgressRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNRESOLVABLE));
        assertThatThrownBy(() -> policy.resolveAndCheck("bad_host.example"))
                .isInstanceOfSatisfying(EgressRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_HOST));
    }

    @Test
    void localhostResolvesToLoopbackAndIsRefusedByDefault() {
        assertThatThrownBy(() -> new EgressPolicy(false).resolveAndCheck("localhost"))
                .isInstanceOfSatisfying(EgressRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NON_PUBLIC_ADDRESS));
        assertThat(new EgressPolicy(true).resolveAndCheck("localhost").isLoopbackAddress()).isTrue();
    }

    private static boolean allowed(EgressPolicy policy, String ip) {
        try {
            policy.resolveAndCheck(ip);
            return true;
        } catch (EgressRefusedException e) {
            return false;
        }
    }

    private static HostResolver resolver(Map<String, String[]> records) {
        return host -> {
            String[] ips = records.get(host);
            if (ips == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] addresses = new InetAddress[ips.length];
            for (int i = 0; i < ips.length; i++) {
                addresses[i] = InetAddress.getByName(ips[i]);
            }
            return addresses;
        };
    }
}
