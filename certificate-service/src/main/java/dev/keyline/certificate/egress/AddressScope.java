package dev.keyline.certificate.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which kind of network an IP address belongs to, for the egress check.
 *
 * <p>IPv6 forms that carry an IPv4 address (IPv4-compatible, IPv4-mapped, SIIT-translated
 * {@code ::ffff:0:a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo
 * {@code 2001::/32}) are judged by the IPv4 address inside them as well, because routers
 * can deliver them there: {@code 64:ff9b::a9fe:a9fe} reaches 169.254.169.254 on a NAT64 network.
 */
public enum AddressScope {
    PUBLIC("public"),
    LOOPBACK("loopback"),
    PRIVATE("private"),
    SHARED("carrier-grade NAT (shared)"),
    LINK_LOCAL("link-local"),
    UNSPECIFIED("unspecified"),
    MULTICAST("multicast or broadcast"),
    RESERVED("reserved or documentation"),
    /** Cloud instance metadata: hands out credentials, so refused even when private egress is allowed. */
    METADATA("cloud metadata");

    private final String description;

    AddressScope(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public static AddressScope of(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofIpv4(b, 0);
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(b);
        }
        return RESERVED;
    }

    private static AddressScope ofIpv4(byte[] bytes, int offset) {
        int a = bytes[offset] & 0xff;
        int b = bytes[offset + 1] & 0xff;
        int c = bytes[offset + 2] & 0xff;
        int d = bytes[offset + 3] & 0xff;
        if (isIpv4Metadata(a, b, c, d)) {
            return METADATA;
        }
        if (a == 0) {
            return UNSPECIFIED; // 0.0.0.0/8 "this network": connecting to it reaches the local host
        }
        if (a == 127) {
            return LOOPBACK;
        }
        if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) {
            return PRIVATE;
        }
        if (a == 100 && (b & 0xc0) == 64) {
            return SHARED; // 100.64.0.0/10
        }
        if (a == 169 && b == 254) {
            return LINK_LOCAL;
        }
        if (a >= 224) {
            return a < 240 ? MULTICAST : (a == 255 && b == 255 && c == 255 && d == 255 ? MULTICAST : RESERVED);
        }
        if ((a == 192 && b == 0 && (c == 0 || c == 2)) // 192.0.0.0/24 protocol assignments, 192.0.2.0/24 docs
                || (a == 198 && (b & 0xfe) == 18)        // 198.18.0.0/15 benchmarking
                || (a == 198 && b == 51 && c == 100)     // documentation
                || (a == 203 && b == 0 && c == 113)) {   // documentation
            return RESERVED;
        }
        return PUBLIC;
    }

    /**
     * 169.254.169.254 (AWS, GCP, Azure, OpenStack, Oracle), 169.254.170.2 (AWS ECS task role),
     * 169.254.170.23 (EKS pod identity), 100.100.100.200 (Alibaba Cloud), 192.0.0.192 (Oracle classic),
     * 168.63.129.16 (Azure WireServer: VM agent, extension settings and health probes; a public
     * address, so only this list keeps it out).
     */
    private static boolean isIpv4Metadata(int a, int b, int c, int d) {
        return (a == 169 && b == 254 && ((c == 169 && d == 254) || (c == 170 && (d == 2 || d == 23))))
                || (a == 100 && b == 100 && c == 100 && d == 200)
                || (a == 192 && b == 0 && c == 0 && d == 192)
                || (a == 168 && b == 63 && c == 129 && d == 16);
    }

    private static AddressScope ofIpv6(byte[] b) {
        if (isIpv6Metadata(b)) {
            return METADATA;
        }
        boolean first96Zero = true;
        for (int i = 0; i < 12; i++) {
            first96Zero &= b[i] == 0;
        }
        if (first96Zero) {
            int last = ((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff);
            if (last == 0) {
                return UNSPECIFIED;
            }
            if (last == 1) {
                return LOOPBACK;
            }
            return ofIpv4(b, 12); // IPv4-compatible ::a.b.c.d
        }
        if (isMapped(b) || isSiitTranslated(b)) {
            return ofIpv4(b, 12);
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0x00 && second == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
            // 64:ff9b::/96 well-known NAT64 prefix; 64:ff9b:1::/48 is for local use only
            return b[4] == 0 && b[5] == 1 ? PRIVATE : ofIpv4(b, 12);
        }
        if (first == 0x20 && second == 0x02) {
            return ofIpv4(b, 2); // 6to4
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
            byte[] client = {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]};
            return ofIpv4(client, 0); // Teredo: client IPv4 stored inverted
        }
        if ((first & 0xfe) == 0xfc) {
            return PRIVATE; // fc00::/7 unique local
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return LINK_LOCAL; // fe80::/10
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return PRIVATE; // fec0::/10 deprecated site-local
        }
        if (first == 0xff) {
            return MULTICAST;
        }
        if ((first == 0x20 && second == 0x01 && b[2] == 0x0d && b[3] == (byte) 0xb8) // 2001:db8::/32 documentation
                || (first == 0x01 && second == 0x00 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0
                && b[6] == 0 && b[7] == 0)) {                                          // 100::/64 discard
            return RESERVED;
        }
        return PUBLIC;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** {@code ::ffff:0:0/96} (RFC 2765 SIIT "IPv4-translated"): a translator delivers it to the IPv4 address inside. */
    private static boolean isSiitTranslated(byte[] b) {
        for (int i = 0; i < 8; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[8] == (byte) 0xff && b[9] == (byte) 0xff && b[10] == 0 && b[11] == 0;
    }

    /** fd00:ec2::254 (AWS IMDS over IPv6) and fd00:ec2::23 (EKS pod identity over IPv6). */
    private static boolean isIpv6Metadata(byte[] b) {
        if (!(b[0] == (byte) 0xfd && b[1] == 0 && b[2] == 0x0e && b[3] == (byte) 0xc2)) {
            return false;
        }
        for (int i = 4; i < 14; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        int last = ((b[14] & 0xff) << 8) | (b[15] & 0xff);
        return last == 0x254 || last == 0x23;
    }
}
