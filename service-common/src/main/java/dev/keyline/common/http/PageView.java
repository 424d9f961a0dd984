package dev.keyline.common.http;

import java.util.List;
import java.util.function.Function;

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

    /** The page of {@code rows} (already cut to this page) shown as {@code view}, with the total of all matching rows. */
    public static <S, T> PageView<T> of(List<S> rows, int page, int size, long total, Function<? super S, ? extends T> view) {
        return new PageView<>(rows.stream().<T>map(view).toList(), page, size, total);
    }
}
