package dev.keyline.certificate.persistence;

import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.jdbc.RowRead;

/**
 * Reads the part of a certificate's row an exchange needs with one plain JDBC query.
 *
 * <p>
 * Why not {@code CertificateEntity.findById}: loading the entity was 44 % of the exchange resource's
 * CPU samples in a JFR profile (bench/README.md), for a row that is only read. The row is still read
 * from PostgreSQL on every exchange, never cached: a replacement or a delete committed through any
 * replica is seen by the next exchange, and the parsed rules and TLS contexts stay keyed by the
 * versions read here.
 */
@ApplicationScoped
public class ExchangeRows {

    private static final String SELECT = "select version, vault_version, sha256_fingerprint, authorized_domains "
            + "from certificate where id = ?";

    @Inject
    DataSource dataSource;

    /** The row of certificate {@code id}; null when there is none. */
    public ExchangeRow find(UUID id) {
        return RowRead.first(dataSource, SELECT,
                rs -> new ExchangeRow(id, rs.getLong(1), rs.getInt(2), rs.getString(3), RowRead.texts(rs, 4)),
                "certificate " + id, id);
    }
}
