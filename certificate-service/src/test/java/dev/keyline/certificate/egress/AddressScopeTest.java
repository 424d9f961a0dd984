package dev.keyline.certificate.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IPv6 spellings that carry an IPv4 address are judged by that address, and the cloud metadata
 * hosts that sit in public space are refused by name: each row is an SSRF route into a pod's network.
 */
class AddressScopeTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ::ffff:0:169.254.169.254                 | METADATA
            ::ffff:0:10.0.0.1                        | PRIVATE
            ::ffff:0:127.0.0.1                       | LOOPBACK
            ::ffff:0:168.63.129.16                   | METADATA
            ::ffff:0:8.8.8.8                         | PUBLIC
            2001:0:4136:e378:8000:63bf:5601:5601     | METADATA
            2001:0:4136:e378:8000:63bf:f5ff:fffe     | PRIVATE
            2001::80ff:fffe                          | LOOPBACK
            2001:0:4136:e378:8000:63bf:f7f7:f7f7     | PUBLIC
            64:ff9b::127.0.0.1                       | LOOPBACK
            64:ff9b::169.254.169.254                 | METADATA
            64:ff9b::168.63.129.16                   | METADATA
            64:ff9b::192.168.0.1                     | PRIVATE
            168.63.129.16                            | METADATA
            ::ffff:168.63.129.16                     | METADATA
            2002:a83f:8110::                         | METADATA
            168.63.129.17                            | PUBLIC
            """)
    void ipv4InsideIpv6AndPublicMetadataAddresses(String ip, AddressScope expected) throws UnknownHostException {
        assertThat(AddressScope.of(InetAddress.getByName(ip))).isEqualTo(expected);
    }
}
