package dev.keyline.connection.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.ApiCallResult;
import dev.keyline.connection.client.CertificateServiceClient;
import dev.keyline.connection.client.CertificateServiceException;
import dev.keyline.connection.client.ExchangeCall;
import dev.keyline.connection.client.ExchangeOutcome;
import dev.keyline.connection.persistence.ConnectionEntity;

/**
 * Calls an API through a connector: a path under its {@code baseUrl}, made by certificate-service's
 * exchange presenting the connector's certificate, with the CALLER's token (certificate-service
 * checks the caller's own {@code certificates:use}). Every call is audited (method, path, status;
 * never the query, headers or bodies, which may carry the API's data).
 */
@ApplicationScoped
public class ApiCalls {

    static final String ACTION = "connection.request";

    @Inject
    ConnectionStore store;

    @Inject
    CertificateServiceClient certificateService;

    @Inject
    AuditTrail audit;

    public ApiCallResult call(UUID id, String method, String path, Map<String, String> query,
            Map<String, String> headers, String body, String callerToken) {
        // First: a control character cannot be audited (NUL) nor sent (CR/LF would split a header).
        List<FieldError> controls = ApiTarget.controlCharacterProblems(path, query, headers);
        if (!controls.isEmpty()) {
            throw ProblemException.invalidFields(controls);
        }
        ConnectionEntity e = store.get(id);
        String verb = method == null ? "GET" : method;
        String shown = verb + " " + (path == null ? "" : path.length() > 200 ? path.substring(0, 200) + "…" : path);
        try {
            if (e.isSnowflake()) {
                throw new ProblemException(409, "not-an-api-connector", "Not an API connector",
                        "Requests go through API connectors only; this is a Snowflake connection");
            }
            if (e.certificateId == null) {
                throw new ProblemException(422, "certificate-required", "Certificate required",
                        "This API connector has no details.certificateId; its calls present a client certificate through "
                                + "certificate-service, so set one with PUT first",
                        List.of(new FieldError("details.certificateId", "is not set")));
            }
            List<FieldError> headerErrors = ApiTarget.headerProblems(headers);
            if (!headerErrors.isEmpty()) {
                throw new ProblemException(400, "invalid-request", "Invalid request",
                        "The request has " + headerErrors.size() + " invalid header(s)", headerErrors);
            }
            if (body != null && (verb.equals("GET") || verb.equals("HEAD"))) {
                throw ProblemException.invalidField("body", "is not sent with " + verb);
            }
            String url = ApiTarget.url(e.baseUrl, path, query);
            long start = System.nanoTime();
            ExchangeOutcome outcome = certificateService.request(e.certificateId,
                    new ExchangeCall(verb, url, headers == null || headers.isEmpty() ? null : headers, body), callerToken);
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            audit.standalone(ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.SUCCESS, null,
                    shown + " -> " + outcome.status() + " certificate=" + e.certificateId);
            List<ApiCallResult.Header> answered = outcome.headers() == null ? List.of()
                    : outcome.headers().stream().map(h -> new ApiCallResult.Header(h.name(), h.value())).toList();
            int q = url.indexOf('?');
            return new ApiCallResult(outcome.status(), outcome.reason(), answered, outcome.body(), outcome.bodyBase64(),
                    outcome.truncated(), q < 0 ? url : url.substring(0, q), millis);
        } catch (ProblemException p) {
            throw failed(e, shown, p);
        } catch (CertificateServiceException x) {
            throw failed(e, shown, CertificateServiceProblems.problem(x, e));
        } catch (CircuitBreakerOpenException x) {
            throw failed(e, shown, CertificateServiceProblems.unavailable(
                    "certificate-service failed repeatedly; calls are paused for a few seconds"));
        } catch (FaultToleranceException x) {
            throw failed(e, shown, CertificateServiceProblems.unavailable("certificate-service did not answer in time"));
        }
    }

    /**
     * What is wrong with a call's fields that needs no connection: control characters, header names
     * and values, a body with GET or HEAD. Put next to the body's bean-validation violations, so that
     * answer names every bad field (the checks in {@link #call} still run, in their order, on a body
     * bean validation passed).
     */
    public static List<FieldError> requestProblems(String method, String path, Map<String, String> query,
            Map<String, String> headers, String body) {
        List<FieldError> errors = new java.util.ArrayList<>(ApiTarget.controlCharacterProblems(path, query, headers));
        ApiTarget.headerProblems(headers).stream().filter(h -> errors.stream().noneMatch(c -> c.field().equals(h.field())))
                .forEach(errors::add);
        String verb = method == null ? "GET" : method;
        if (body != null && (verb.equals("GET") || verb.equals("HEAD"))) {
            errors.add(new FieldError("body", "is not sent with " + verb));
        }
        return errors;
    }

    private ProblemException failed(ConnectionEntity e, String shown, ProblemException p) {
        audit.standalone(ACTION, ConnectionStore.RESOURCE, e.id.toString(),
                p.status() == 403 ? Outcome.DENIED : Outcome.FAILED, null, shown + " " + p.slug());
        return p;
    }
}
