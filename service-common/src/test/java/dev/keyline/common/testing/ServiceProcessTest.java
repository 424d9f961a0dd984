package dev.keyline.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void freePortsLieBelowTheEphemeralRangeAreDistinctAndCanBeListenedOn() throws Exception {
        int ephemeralStart = Integer.parseInt(
                Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = ServiceProcess.freePort();
            assertThat(port).isBetween(1024, ephemeralStart - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
        int port = ServiceProcess.freePort();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    /**
     * The check freePort relies on, on both sides of one port: refused while something listens on
     * loopback, accepted once it has closed. The port comes from below the ephemeral range (freePort),
     * so no outbound connection can take it between the close and the second check.
     */
    @Test
    void aPortSomeoneListensOnOnLoopbackIsNotFree() throws Exception {
        int port = ServiceProcess.freePort();
        try (ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(false);
            taken.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(ServiceProcess.listenable(port)).isFalse();
        }
        assertThat(ServiceProcess.listenable(port)).as("free again once closed").isTrue();
    }
}
