package dev.keyline.common.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One change or use of a credential: who (from the token) and through which service, what, when, on which resource, with
 * which fingerprints, and how it ended. Fingerprints are public values; material never lands here.
 * Each service keeps its own {@code audit_event} table, defined once in service-common's
 * {@code db/common/R__audit_event.sql} and written only by {@link AuditRow}.
 */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** The person (or service identity) the token names: its subject. */
    @Column(nullable = false)
    public String actor;

    /** The service that acted for {@link #actor} with the actor's forwarded token; null for a direct call. */
    public String via;

    @Column(nullable = false)
    public String action;

    @Column(name = "resource_type", nullable = false)
    public String resourceType;

    @Column(name = "resource_id")
    public String resourceId;

    @Column(nullable = false)
    public String outcome;

    /** Public identifiers of the material involved, e.g. {@code SHA256:…} of the old and new key. */
    public String fingerprints;

    /** A short, secret-free description: the problem type on failure, the target host of an exchange. */
    public String detail;

    /**
     * The trace (W3C trace id, 32 hex digits) the event was written in, to find the request or
     * rotation step across services in the tracing tool; null when tracing is off.
     */
    @Column(name = "trace_id")
    public String traceId;
}
