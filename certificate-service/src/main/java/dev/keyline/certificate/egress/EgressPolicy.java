package dev.keyline.certificate.egress;

import dev.keyline.certificate.host.HostName;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Decides which address an outbound call may connect to.
 *
 * <p>The host is resolved exactly once and the caller connects to the returned address, never to
 * the name again: a second lookup could answer differently (DNS rebinding) and send the client
 * certificate, or the request, into the private network after the check passed.
 *
 * <p>Every resolved address must pass, not just the first: a name that resolves to an internal
 * address at all is refused with a clear reason instead of working or failing by record order.
 */
public final class EgressPolicy {

    private final boolean allowPrivateAddresses;
    private final HostResolver resolver;

    /**
     * @param allowPrivateAddresses let calls reach loopback, private, link-local and other non-public
     *                              addresses; for tests and local runs only. Metadata addresses stay refused.
     */
    public EgressPolicy(boolean allowPrivateAddresses) {
        this(allowPrivateAddresses, HostResolver.SYSTEM);
    }

    public EgressPolicy(boolean allowPrivateAddresses, HostResolver resolver) {
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.resolver = resolver;
    }

    public boolean allowPrivateAddresses() {
        return allowPrivateAddresses;
    }

    /**
     * Resolves the host once and checks every address.
     *
     * @param host a host name or IP literal (normalised here, so raw input is fine)
     * @return the address to connect to
     * @throws EgressRefusedException when the host is invalid, does not resolve, or resolves to an
     *                                address this policy refuses
     */
    public InetAddress resolveAndCheck(String host) {
        String normalised;
        try {
            normalised = HostName.normalise(host);
        } catch (IllegalArgumentException e) {
            throw new EgressRefusedException(EgressRefusedException.Reason.INVALID_HOST, "invalid host: " + e.getMessage());
        }
        boolean literal = HostName.isIpLiteral(normalised);
        InetAddress[] addresses;
        try {
            // A normalised literal (strict dotted quad or hex IPv6) is parsed, never looked up.
            addresses = literal ? new InetAddress[] {InetAddress.getByName(normalised)} : resolver.resolve(normalised);
        } catch (UnknownHostException e) {
            throw new EgressRefusedException(EgressRefusedException.Reason.UNRESOLVABLE,
                    "host " + normalised + " could not be resolved");
        }
        if (addresses == null || addresses.length == 0) {
            throw new EgressRefusedException(EgressRefusedException.Reason.UNRESOLVABLE,
                    "host " + normalised + " could not be resolved");
        }
        for (InetAddress address : addresses) {
            refuseIfNotAllowed(address, literal ? normalised + " is" : "host " + normalised + " resolves to");
        }
        return addresses[0];
    }

    /**
     * Checks an address obtained elsewhere.
     *
     * @throws EgressRefusedException when this policy refuses it
     */
    public void check(InetAddress address) {
        refuseIfNotAllowed(address, address.getHostAddress() + " is");
    }

    /** @param subject start of the sentence, e.g. "10.0.0.1 is" or "host x resolves to" */
    private void refuseIfNotAllowed(InetAddress address, String subject) {
        AddressScope scope = AddressScope.of(address);
        if (scope == AddressScope.PUBLIC) {
            return;
        }
        if (scope == AddressScope.METADATA) {
            throw new EgressRefusedException(EgressRefusedException.Reason.METADATA_ADDRESS,
                    subject + " a cloud metadata address; outbound calls there are never allowed");
        }
        if (!allowPrivateAddresses) {
            throw new EgressRefusedException(EgressRefusedException.Reason.NON_PUBLIC_ADDRESS,
                    subject + " a " + scope.description() + " address; outbound calls to non-public addresses are disabled");
        }
    }
}
