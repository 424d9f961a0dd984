package dev.keyline.certificate.persistence;

import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.jdbc.RowRead;
import dev.keyline.common.validation.ResourceNames;

/**
 * Which certificate holds a name (names are unique up to case and Unicode composition: the {@code name_key} column),
 * with one plain JDBC query on the unique index.
 *
 * <p>
 * Why not {@code CertificateEntity.find("nameKey", …)}: that loaded the whole entity into the
 * session through Hibernate's query machinery for a row that is only asked "is there one, and what
 * is it called", and it was the longer of the two things a create waits for before it writes Vault
 * (bench/README.md, "Create: where the time goes"). The row is read in the caller's
 * transaction, on every call; the unique index still refuses a name taken by a racing create.
 */
@ApplicationScoped
public class NameHolders {

    private static final String SELECT = "select id, name from certificate where name_key = ?";

    /** The certificate holding a name, and the name as it was stored. */
    public record Holder(UUID id, String name) {
    }

    @Inject
    DataSource dataSource;

    /** The certificate whose name is {@code name} up to case and Unicode composition; null when none does. */
    public Holder find(String name) {
        return RowRead.first(dataSource, SELECT, rs -> new Holder(rs.getObject(1, UUID.class), rs.getString(2)),
                "the certificate by name", ResourceNames.key(name));
    }
}
