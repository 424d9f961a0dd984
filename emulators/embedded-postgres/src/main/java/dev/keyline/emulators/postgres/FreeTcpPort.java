package dev.keyline.emulators.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A TCP port on 127.0.0.1 that was free a moment ago.
 *
 * <p>Why "a moment ago" is good enough: the server binds it right after; should another process
 * win the race, {@link EmbeddedPostgres} notices the bind failure in the log and tries another.
 */
final class FreeTcpPort {

  private FreeTcpPort() {}

  static int find() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
    }
  }
}
