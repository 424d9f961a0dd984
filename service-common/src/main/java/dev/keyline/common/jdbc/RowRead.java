package dev.keyline.common.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import javax.sql.DataSource;

/**
 * Rows read with a plain JDBC query on a pooled connection, for hot read-only paths (a connection
 * test, an exchange, a certificate's GET and list) where loading JPA entities (a Hibernate session,
 * hydration of every column, the session's clean-up at the end of the request) was the largest item
 * in their profiles.
 *
 * <p>
 * The row is read on every call, never cached; the connection joins the caller's transaction if one
 * is active (the datasource enlists it) and is otherwise autocommitted. A failure names the row and
 * the SQLState, never the parameters' values.
 */
public final class RowRead {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Reads a whole result set (its cursor before the first row). */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private RowRead() {
    }

    /**
     * The first row {@code select} returns with {@code parameters} bound in order, mapped; null when
     * there is none.
     *
     * @param what names the row in the failure's message, e.g. {@code "certificate 1b4e…"}
     */
    public static <T> T first(DataSource dataSource, String select, Mapper<T> mapper, String what, Object... parameters) {
        return all(dataSource, select, rows -> rows.next() ? mapper.map(rows) : null, what, parameters);
    }

    /**
     * What {@code reader} makes of the whole result of {@code select} with {@code parameters} bound in order.
     *
     * @param what names the rows in the failure's message, e.g. {@code "certificates"}
     */
    public static <T> T all(DataSource dataSource, String select, Reader<T> reader, String what, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(select)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading " + what + " failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** A {@code timestamp with time zone} column as an instant; null for SQL NULL. */
    public static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    /** A {@code text[]} / {@code varchar[]} column as an immutable list; null for SQL NULL. */
    public static List<String> texts(ResultSet row, int column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return null;
        }
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
