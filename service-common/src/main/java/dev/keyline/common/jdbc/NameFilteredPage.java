package dev.keyline.common.jdbc;

import javax.sql.DataSource;

/**
 * The SQL around one page of a list filtered by a part of the name ({@code lower(name) like ?}),
 * as both services' lists read it: the page carries its total ({@code count(*) over ()}), and only a
 * page past the end, which has no row to carry it, counts in a second statement.
 *
 * @param likePattern for {@code lower(name) like …} (backslash escapes, as
 *                    {@code ResourceNames.containsPattern} makes it), or null for every row
 */
public record NameFilteredPage(String likePattern) {

    /** {@code " where lower(name) like ?"}, or nothing without a filter. */
    public String where() {
        return likePattern == null ? "" : " where lower(name) like ?";
    }

    /** The page statement's parameters: the pattern (if any), then offset and limit. */
    public Object[] parameters(long offset, int limit) {
        return likePattern == null ? new Object[] { offset, limit } : new Object[] { likePattern, offset, limit };
    }

    /**
     * How many rows of {@code table} match, for a page past the end.
     *
     * @param table a table name of the caller's own (never input)
     */
    public long count(DataSource dataSource, String table) {
        return RowRead.all(dataSource, "select count(*) from " + table + where(),
                rows -> rows.next() ? rows.getLong(1) : 0L, table + " rows",
                likePattern == null ? new Object[0] : new Object[] { likePattern });
    }
}
