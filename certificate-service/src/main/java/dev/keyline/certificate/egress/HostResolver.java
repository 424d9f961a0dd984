package dev.keyline.certificate.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Name to addresses. An interface so tests can check the address rules for names without DNS;
 * production uses {@link #SYSTEM}.
 */
@FunctionalInterface
public interface HostResolver {

    /** The JVM resolver (honours the JVM's DNS cache settings). */
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
