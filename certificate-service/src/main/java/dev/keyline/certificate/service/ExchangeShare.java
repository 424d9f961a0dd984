package dev.keyline.certificate.service;

import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.common.work.CallerShare;
import dev.keyline.common.work.WorkPools;
import io.quarkus.runtime.Startup;

/**
 * The exchanges one caller may have running at once ({@code egress.exchanges-per-caller}): each
 * holds a request thread until its deadline, so one caller aiming hundreds at a server that never
 * answers would otherwise hold them all.
 *
 * <p>A bean of its own, started eagerly, so that {@code keyline_work_caller_refused_total{pool="exchanges"}}
 * is on {@code /q/metrics} from the start (at 0) like the key pool's, not only after the first
 * exchange: a dashboard's {@code rate()} and an alert's {@code absent()} need the series before the
 * first refusal. {@link ExchangeService} itself stays lazy, its egress classes loaded at the first exchange.
 */
@Startup
@ApplicationScoped
public class ExchangeShare {

    @Inject
    WorkPools pools;

    @Inject
    CertificateServiceConfig config;

    private CallerShare share;
    private CallerShare perDestination;

    @PostConstruct
    void init() {
        share = pools.share("exchanges", "outbound exchanges", config.egress().exchangesPerCaller(),
                config.work().retryAfterSeconds());
        // Below the destination pool's size, so one caller cannot hold every connection of a
        // (certificate, host, port) while the others wait the connect timeout for one.
        perDestination = pools.share("exchange-destinations", "outbound exchanges with one certificate to one host",
                WorkPools.fractionOf(config.egress().pool().maxConnections(), 2, config.egress().exchangesPerDestination()),
                config.work().retryAfterSeconds());
    }

    /**
     * Runs {@code exchange} counted to {@code subject}'s share of one destination's connection pool
     * (certificate {@code id} to {@code host}:{@code port}), inside its share of all exchanges.
     *
     * @throws dev.keyline.common.work.CallerShareExceededException when the caller has its share running (429)
     */
    public <T> T callTo(String subject, UUID id, String host, int port, Supplier<T> exchange) {
        String key = subject == null ? null : subject + "\n" + id + "\n" + host.toLowerCase(Locale.ROOT) + ":" + port;
        return perDestination.call(key, exchange);
    }

    /**
     * Runs {@code exchange} counted to {@code subject}'s share.
     *
     * @throws dev.keyline.common.work.CallerShareExceededException when the caller has its share running (429)
     */
    public <T> T call(String subject, Supplier<T> exchange) {
        return share.call(subject, exchange);
    }
}
