package dev.keyline.common.http;

import java.util.List;
import java.util.function.Function;

import dev.keyline.common.problem.ProblemException;

/**
 * One page of a listing, with the total so clients can page without guessing: the one shape every
 * service lists in ({@code {items, page, size, total}}), so the three APIs cannot drift apart.
 */
public record PageView<T>(List<T> items, int page, int size, long total) {

    /**
     * The last page any list may ask for ({@code @Max} on its {@code page} parameter): page × size is the
     * query's int offset, and with sizes of at most 500 this stays well inside it. A page near
     * {@code Integer.MAX_VALUE} overflowed it to a negative offset, which Hibernate refuses (a 500).
     */
    public static final int MAX_PAGE = 1_000_000;

    /**
     * The deepest row a page of a growing table may reach (page × size): an offset walks every row
     * before it, so without a bound one request reads the whole table (rotation runs: 1 s at a million
     * rows). Older rows are read with a time filter instead.
     */
    public static final int MAX_OFFSET = 10_000;

    /**
     * Refuses a page deeper than {@link #MAX_OFFSET} with a 400 on {@code page}.
     *
     * @param older how the caller reads older rows instead, e.g. "read older events with until (…)"
     */
    public static void requireShallow(int page, int size, String older) {
        if ((long) page * size > MAX_OFFSET) {
            throw ProblemException.invalidField("page", "page × size may be at most " + MAX_OFFSET + "; " + older);
        }
    }

    /** The page of {@code rows} (already cut to this page) shown as {@code view}, with the total of all matching rows. */
    public static <S, T> PageView<T> of(List<S> rows, int page, int size, long total, Function<? super S, ? extends T> view) {
        return new PageView<>(rows.stream().<T>map(view).toList(), page, size, total);
    }
}
