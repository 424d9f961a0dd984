package dev.keyline.certificate.service;

import java.net.InetAddress;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.certificate.DomainMatch;
import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.certificate.egress.EgressPolicy;
import dev.keyline.certificate.egress.EgressRefusedException;
import dev.keyline.certificate.egress.ExchangeFailedException;
import dev.keyline.certificate.egress.ExchangeRequest;
import dev.keyline.certificate.egress.ExchangeResult;
import dev.keyline.certificate.egress.Limits;
import dev.keyline.certificate.egress.MtlsExchange;
import dev.keyline.certificate.egress.OutboundTarget;
import dev.keyline.certificate.persistence.ExchangeRow;
import dev.keyline.certificate.persistence.ExchangeRows;
import dev.keyline.common.vault.VaultUnavailableException;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Makes one HTTPS request presenting a stored certificate. The order of checks is the point:
 * authorization against the stored domains, then DNS resolution and the egress policy, and only
 * then key material is loaded and a connection opened, to exactly the address that was checked.
 */
@ApplicationScoped
public class ExchangeService {

    static final String ACTION = "certificate.exchange";

    @Inject
    ExchangeRows rows;

    @Inject
    TlsContextCache tlsContexts;

    @Inject
    ExchangeAudit audit;

    @Inject
    AuthorizedDomainsCache domains;

    @Inject
    CertificateServiceConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Caller caller;

    @Inject
    ExchangeShare share;

    private EgressPolicy egress;
    private Limits limits;
    private final MtlsExchange exchange = new MtlsExchange();

    @PostConstruct
    void init() {
        egress = new EgressPolicy(config.egress().allowPrivateAddresses());
        limits = new Limits(config.egress().connectTimeout(), config.egress().readTimeout(),
                config.egress().maxResponseBytes());
    }

    /** The outcome plus the rule that allowed it. */
    public record Exchanged(ExchangeResult result, String matchedRule) {
    }

    /** @throws dev.keyline.common.work.CallerShareExceededException when the caller has its share running (429) */
    public Exchanged exchange(UUID id, OutboundTarget target, ExchangeRequest request) {
        String subject = caller.subject().orElse(null);
        return share.call(subject, () -> share.callTo(subject, id, target.host(), target.port(),
                () -> exchangeWithinShare(id, target, request)));
    }

    private Exchanged exchangeWithinShare(UUID id, OutboundTarget target, ExchangeRequest request) {
        ExchangeRow certificate = rows.find(id);
        if (certificate == null) {
            throw ProblemException.notFound("Certificate", id);
        }
        String where = target.host() + ":" + target.port();
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            DomainMatch match = domains.of(id, certificate.version(), certificate.authorizedDomains())
                    .match(target.host(), target.port());
            if (!match.allowed()) {
                outcome = "denied";
                record(id, Outcome.DENIED, certificate, "host-not-authorized " + where);
                throw new ProblemException(403, "host-not-authorized", "Host not authorized",
                        "This certificate may not be presented to " + where + "; its authorized domains are "
                                + certificate.authorizedDomains(),
                        List.of(new FieldError("url", match.reason())));
            }
            InetAddress address = resolve(id, certificate, target);
            ExchangeResult result = exchange.send(tlsContexts.contextFor(id, certificate.vaultVersion()), address, target,
                    request, limits);
            outcome = "success";
            record(id, Outcome.SUCCESS, certificate, where + " -> HTTP " + result.status());
            return new Exchanged(result, match.matchedRule());
        } catch (ExchangeFailedException e) {
            outcome = "failed";
            record(id, Outcome.FAILED, certificate, where + " " + e.kind());
            throw failed(e, where);
        } catch (VaultUnavailableException e) {
            record(id, Outcome.FAILED, certificate, where + " vault-unavailable");
            throw e;
        } finally {
            sample.stop(registry.timer("keyline.certificate.exchange", "outcome", outcome));
        }
    }

    private InetAddress resolve(UUID id, ExchangeRow certificate, OutboundTarget target) {
        try {
            return egress.resolveAndCheck(target.host());
        } catch (EgressRefusedException e) {
            record(id, Outcome.DENIED, certificate, target.host() + " " + e.reason());
            throw switch (e.reason()) {
                case UNRESOLVABLE -> new ProblemException(502, "host-unresolvable", "Host unresolvable", e.getMessage());
                case INVALID_HOST -> ProblemException.invalidField("host", e.getMessage());
                default -> new ProblemException(403, "egress-refused", "Egress refused", e.getMessage());
            };
        }
    }

    private static ProblemException failed(ExchangeFailedException e, String where) {
        int status = switch (e.kind()) {
            case CONNECT_TIMEOUT, READ_TIMEOUT -> 504;
            default -> 502;
        };
        String slug = "exchange-" + e.kind().name().toLowerCase().replace('_', '-');
        return new ProblemException(status, slug, "Exchange failed", "The exchange with " + where + " failed: " + e.getMessage());
    }

    private void record(UUID id, Outcome outcome, ExchangeRow certificate, String detail) {
        audit.record(id, outcome, certificate.sha256Fingerprint(), detail);
    }
}
