package dev.keyline.certificate;

import dev.keyline.certificate.host.HostName;
import dev.keyline.certificate.host.HostPort;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The hosts a client certificate may be presented to.
 *
 * <p>Both the stored entries and every host checked at call time go through the same
 * {@link HostName#normalise(String)} (and entries through {@link HostPort}'s one {@code host[:port]}
 * parser), so that case, a trailing dot, Unicode vs punycode spelling, or an IPv6 written two ways
 * cannot make an allowed host look refused or, worse, a refused host look allowed.
 */
public final class AuthorizedDomains {

    private final List<DomainRule> rules;

    private AuthorizedDomains(List<DomainRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Parses and validates user entries, keeping their order and dropping duplicates (entries that
     * normalise to the same rule, such as {@code API.example.com} and {@code api.example.com:443}).
     *
     * @throws InvalidDomainsException listing every bad entry with its index and reason, so the API
     *                                 can report {@code authorizedDomains[3]} rather than the first error only
     */
    public static AuthorizedDomains parse(List<String> entries) {
        if (entries == null) {
            throw new IllegalArgumentException("entries must not be null");
        }
        Set<DomainRule> rules = new LinkedHashSet<>();
        List<InvalidDomainsException.EntryError> errors = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                rules.add(DomainRule.parse(entries.get(i)));
            } catch (IllegalArgumentException e) {
                errors.add(new InvalidDomainsException.EntryError(i, e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidDomainsException(errors);
        }
        return new AuthorizedDomains(new ArrayList<>(rules));
    }

    public List<DomainRule> rules() {
        return rules;
    }

    /** Canonical entries for storage; {@link #parse(List)} of this list gives back equal rules. */
    public List<String> canonical() {
        return rules.stream().map(DomainRule::canonical).toList();
    }

    /**
     * Normalises the host and finds the first rule covering host:port. An invalid host or port is
     * reported as not allowed (with the reason) rather than thrown, because at call time it is just
     * one more way of not being authorized.
     */
    public DomainMatch match(String host, int port) {
        String normalised;
        try {
            normalised = HostName.normalise(host);
        } catch (IllegalArgumentException e) {
            return DomainMatch.refused(null, port, "invalid host: " + e.getMessage());
        }
        try {
            HostPort.checkPort(port);
        } catch (IllegalArgumentException e) {
            return DomainMatch.refused(normalised, port, e.getMessage());
        }
        for (DomainRule rule : rules) {
            if (rule.matches(normalised, port)) {
                return DomainMatch.allowed(normalised, port, rule);
            }
        }
        List<String> otherPorts = rules.stream()
                .filter(rule -> rule.matches(normalised, rule.port()))
                .map(rule -> String.valueOf(rule.port()))
                .distinct()
                .toList();
        String shown = HostName.bracketed(normalised);
        if (!otherPorts.isEmpty()) {
            return DomainMatch.refused(normalised, port, shown + " is authorized only on port(s) "
                    + String.join(", ", otherPorts) + ", not " + port);
        }
        return DomainMatch.refused(normalised, port, shown + ":" + port + " is not covered by any authorized domain");
    }

    /** Every bad entry of one {@link #parse(List)} call, each with its position in the input list. */
    public static final class InvalidDomainsException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        @SuppressWarnings("serial") // List.copyOf of records: serialisable in practice; never sent over the wire
        private final List<EntryError> errors;

        public InvalidDomainsException(List<EntryError> errors) {
            super(describe(errors));
            this.errors = List.copyOf(errors);
        }

        public List<EntryError> errors() {
            return errors;
        }

        private static String describe(List<EntryError> errors) {
            StringBuilder message = new StringBuilder("invalid authorized domains:");
            for (EntryError error : errors) {
                message.append(" [").append(error.index()).append("] ").append(error.reason()).append(';');
            }
            return message.substring(0, message.length() - 1);
        }

        /** @param index position in the submitted list, for {@code authorizedDomains[index]} */
        public record EntryError(int index, String reason) {
        }
    }
}
