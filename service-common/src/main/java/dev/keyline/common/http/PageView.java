package dev.keyline.common.http;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing, with the total so clients can page without guessing: the one shape every
 * service lists in ({@code {items, page, size, total}}), so the three APIs cannot drift apart.
 */
public record PageView<T>(List<T> items, int page, int size, long total) {

    /** The page of {@code rows} (already cut to this page) shown as {@code view}, with the total of all matching rows. */
    public static <S, T> PageView<T> of(List<S> rows, int page, int size, long total, Function<? super S, ? extends T> view) {
        return new PageView<>(rows.stream().<T>map(view).toList(), page, size, total);
    }
}
