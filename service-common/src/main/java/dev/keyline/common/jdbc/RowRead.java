package dev.keyline.common.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * One row read with a plain JDBC query on a pooled connection, for hot read-only paths (a connection
 * test, an exchange) where loading a JPA entity (a Hibernate session, hydration of every column, the
 * session's clean-up at the end of the request) was the largest item in their profiles.
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

    private RowRead() {
    }

    /**
     * The first row {@code select} returns with {@code parameters} bound in order, mapped; null when
     * there is none.
     *
     * @param what names the row in the failure's message, e.g. {@code "certificate 1b4e…"}
     */
    public static <T> T first(DataSource dataSource, String select, Mapper<T> mapper, String what, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(select)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? mapper.map(rs) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading " + what + " failed (SQLState " + e.getSQLState() + ")", e);
        }
    }
}
