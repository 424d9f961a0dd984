package dev.keyline.connection.service;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.LoginCheck;
import dev.keyline.connection.TestResult;
import dev.keyline.connection.client.CertificateServiceClient;
import dev.keyline.connection.client.CertificateServiceException;
import dev.keyline.connection.client.ExchangeOutcome;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.persistence.SnowflakeRow;
import dev.keyline.connection.persistence.SnowflakeRows;
import dev.keyline.connection.snowflake.SessionIdentity;
import dev.keyline.connection.snowflake.SnowflakeFailure;
import dev.keyline.connection.snowflake.SnowflakeGateway;
import dev.keyline.connection.snowflake.SnowflakeLogin;
import dev.keyline.common.vault.VaultUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Tests connections: a real JDBC login plus {@code SELECT CURRENT_USER(), CURRENT_ROLE(),
 * CURRENT_ACCOUNT()} and the session's warehouse, database and schema for Snowflake (a setting the
 * session did not get fails the test: {@link SessionSettings}), one GET of the base URL through certificate-service's mTLS
 * exchange for API connectors. Every test is timed ({@code keyline.connection.test}, tagged by
 * outcome) and every failure counted by its problem type ({@code keyline.connection.test.failures}).
 */
@ApplicationScoped
public class ConnectionTester {

    static final String ACTION = "connection.test";

    @Inject
    SnowflakeGateway gateway;

    @Inject
    SnowflakeLogins logins;

    @Inject
    CertificateServiceClient certificateService;

    @Inject
    KeySlotService keySlots;

    @Inject
    ConnectionStore store;

    @Inject
    SnowflakeRows rows;

    @Inject
    AuditTrail audit;

    @Inject
    MeterRegistry registry;

    /** A login with validated, not yet stored settings; never throws for Snowflake's answer. */
    public LoginCheck tryLogin(ConnectionInput in) {
        SnowflakeLogin login = logins.with(in, in.key().parsed().privateKey());
        SnowflakeProblems.Who who = new SnowflakeProblems.Who(in.name(), in.account(), in.user(), in.role(),
                in.key().fingerprint(), null);
        long start = System.nanoTime();
        try {
            SessionIdentity session = gateway.withSession(login, s -> s.identity());
            long nanos = System.nanoTime() - start;
            LoginCheck notApplied = SessionSettings.notAppliedCheck(login, session);
            if (notApplied != null) {
                timed("snowflake", notApplied.type(), nanos);
                return notApplied;
            }
            timed("snowflake", "ok", nanos);
            return new LoginCheck(true, null, null, "Logged in as " + in.user(), Duration.ofNanos(nanos).toMillis());
        } catch (SnowflakeFailure f) {
            String slug = SnowflakeProblems.slug(f.kind());
            timed("snowflake", slug, System.nanoTime() - start);
            FieldError field = SnowflakeProblems.fieldError(f, who);
            return new LoginCheck(false, f.code(), slug, SnowflakeProblems.detail(f, who), null,
                    field == null ? null : List.of(field));
        }
    }

    /**
     * A test of a stored Snowflake connection reported the way a create reports its first login: a
     * failure is an answer (its problem type, detail and field), not an error of the request.
     */
    public LoginCheck tryStoredLogin(UUID id) {
        try {
            TestResult r = test(id, null);
            return new LoginCheck(true, null, null, "Logged in as " + r.user(), r.latencyMillis());
        } catch (ProblemException p) {
            return new LoginCheck(false, null, p.slug(), p.getMessage(), null, p.errors().isEmpty() ? null : p.errors());
        } catch (VaultUnavailableException v) {
            // The change is committed: its answer must not turn into a 503 because the check could not run.
            return new LoginCheck(false, null, "vault-unavailable",
                    "The stored key could not be read from Vault, so no login was tried; test the connection later", null);
        }
    }

    /**
     * Tests a connection. {@code callerToken} is the caller's own bearer token: an API connector's
     * exchange forwards it, so certificate-service checks the caller's {@code certificates:use}, not
     * this service's.
     */
    public TestResult test(UUID id, String callerToken) {
        // A Snowflake connection's row is read with one plain query (no entity load): the common case.
        SnowflakeRow row = rows.find(id);
        if (row != null) {
            return testSnowflake(row);
        }
        ConnectionEntity e = store.get(id); // 404, or an API connector
        return e.isSnowflake() ? testSnowflake(SnowflakeRow.of(e)) : testApi(e, callerToken);
    }

    /** Logs in with the stored key (exact Vault version the row points at). */
    private TestResult testSnowflake(SnowflakeRow e) {
        SnowflakeLogin login;
        try {
            login = logins.stored(e);
        } catch (VaultUnavailableException ex) {
            // No login was tried: counted and audited, not timed.
            failed("snowflake", "vault-unavailable", -1, e.id(), e.keyFingerprint());
            throw ex;
        } catch (ProblemException ex) {
            failed("snowflake", ex.slug(), -1, e.id(), e.keyFingerprint()); // e.g. material-missing
            throw ex;
        }
        long start = System.nanoTime();
        try {
            // Concurrent tests of one connection (same settings and key) share one login.
            SessionIdentity identity = gateway.shared(
                    new SnowflakeGateway.SharedKey(e.id(), e.rowVersion(), e.credentialVersion(), "test"), login,
                    s -> s.identity());
            long nanos = System.nanoTime() - start;
            List<FieldError> notApplied = SessionSettings.notApplied(login, identity);
            if (!notApplied.isEmpty()) {
                ProblemException p = SessionSettings.problem(login, identity, notApplied);
                failed("snowflake", p.slug(), nanos, e.id(), e.keyFingerprint());
                throw p;
            }
            timed("snowflake", "ok", nanos);
            // A use that changed nothing: written right after the answer (AuditOutbox), not before it.
            audit.deferred(ACTION, ConnectionStore.RESOURCE, e.id().toString(), Outcome.SUCCESS, e.keyFingerprint(),
                    "user=" + identity.user() + " role=" + identity.role());
            return TestResult.snowflake(Duration.ofNanos(nanos).toMillis(), identity, e.keyFingerprint(),
                    login.endpoint().url());
        } catch (SnowflakeFailure f) {
            ProblemException problem = SnowflakeProblems.problem(f, logins.who(e, e.keyFingerprint(), null));
            failed("snowflake", problem.slug(), System.nanoTime() - start, e.id(), e.keyFingerprint());
            if (f.kind() == SnowflakeFailure.Kind.JWT_REJECTED) {
                // Rare: the diagnosis reads the key-admin connection anyway, so the entity is loaded here.
                ConnectionEntity entity = store.find(e.id());
                String diagnosis = entity == null ? null : keySlots.diagnoseRejectedKey(entity);
                if (diagnosis != null) {
                    throw new ProblemException(problem.status(), problem.slug(), problem.title(),
                            problem.getMessage() + ". " + diagnosis);
                }
            }
            throw problem;
        }
    }

    /** One GET of the base URL presenting the connector's certificate, made by certificate-service for the caller. */
    private TestResult testApi(ConnectionEntity e, String callerToken) {
        if (e.certificateId == null) {
            audit.standalone(ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.FAILED, null,
                    "certificate-required");
            throw new ProblemException(422, "certificate-required", "Certificate required",
                    "This API connector has no details.certificateId; its test presents a client certificate through "
                            + "certificate-service, so set one with PUT first",
                    java.util.List.of(new FieldError("details.certificateId", "is not set")));
        }
        long start = System.nanoTime();
        try {
            ExchangeOutcome outcome = certificateService.exchange(e.certificateId, e.baseUrl, callerToken);
            long nanos = System.nanoTime() - start;
            if (outcome.status() >= 400) {
                throw new ProblemException(502, "api-error-status", "API answered with an error",
                        "The API at " + e.baseUrl + " answered HTTP " + outcome.status()
                                + (outcome.reason() == null ? "" : " " + outcome.reason())
                                + "; the TLS handshake presenting certificate " + e.certificateId + " succeeded");
            }
            timed("api", "ok", nanos);
            audit.standalone(ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.SUCCESS, null,
                    "certificate=" + e.certificateId + " status=" + outcome.status());
            return TestResult.api(Duration.ofNanos(nanos).toMillis(), e.baseUrl, e.certificateId, outcome.status(),
                    outcome.matchedRule(), outcome.tlsProtocol());
        } catch (ProblemException p) {
            failed("api", p.slug(), System.nanoTime() - start, e.id, e.keyFingerprint);
            throw p;
        } catch (CertificateServiceException x) {
            ProblemException p = CertificateServiceProblems.problem(x, e);
            failed("api", p.slug(), System.nanoTime() - start, e.id, e.keyFingerprint);
            throw p;
        } catch (CircuitBreakerOpenException x) {
            ProblemException p = CertificateServiceProblems.unavailable("certificate-service failed repeatedly; calls are paused for a few seconds");
            failed("api", p.slug(), System.nanoTime() - start, e.id, e.keyFingerprint);
            throw p;
        } catch (FaultToleranceException x) {
            ProblemException p = CertificateServiceProblems.unavailable("certificate-service did not answer in time");
            failed("api", p.slug(), System.nanoTime() - start, e.id, e.keyFingerprint);
            throw p;
        }
    }

    /** @param nanos how long the attempt took; negative when none was made (not timed, only counted) */
    private void failed(String type, String slug, long nanos, UUID id, String keyFingerprint) {
        if (nanos >= 0) {
            timed(type, slug, nanos);
        }
        registry.counter("keyline.connection.test.failures", "type", type, "error", slug).increment();
        audit.standalone(ACTION, ConnectionStore.RESOURCE, id.toString(), Outcome.FAILED, keyFingerprint, slug);
    }

    private void timed(String type, String outcome, long nanos) {
        Timer.builder("keyline.connection.test")
                .description("Connection tests: login (or exchange) and a first query")
                .tag("type", type).tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }
}
