package dev.keyline.certificate.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.keyline.common.audit.AuditRow;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.security.Caller;

/**
 * Writes an exchange's audit event as one autocommitted INSERT, before the exchange's answer is sent.
 *
 * <p>
 * Why not {@code AuditTrail.standalone}: that opens a JTA transaction of its own (begin, enlist,
 * INSERT, COMMIT): one database round trip and a transaction's bookkeeping more than the INSERT
 * itself, on every exchange. An exchange changes nothing that the event must commit or roll back
 * with, so the event needs no transaction. Durability is the same: PostgreSQL commits an
 * autocommitted INSERT before it answers (synchronous_commit on), so when {@link #record} returns
 * the row is stored, and the response (200 or a problem) is sent only after that; if the write
 * fails, the exchange answers 500 as before. {@code NOT_SUPPORTED} makes sure no caller's
 * transaction is ever joined: the datasource enlists connections only in an active transaction.
 */
@ApplicationScoped
public class ExchangeAudit {

    @Inject
    DataSource dataSource;

    @Inject
    Caller caller;

    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void record(UUID id, Outcome outcome, String fingerprint, String detail) {
        AuditRow row = new AuditRow(caller.name(), caller.via(), ExchangeService.ACTION, CertificateService.RESOURCE,
                id.toString(), outcome, fingerprint, detail);
        try (Connection c = dataSource.getConnection()) {
            row.insert(c);
            if (!c.getAutoCommit()) {
                c.commit(); // a pool configured without autocommit: commit it here, as autocommit would
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit event " + ExchangeService.ACTION + " not written", e);
        }
    }
}
