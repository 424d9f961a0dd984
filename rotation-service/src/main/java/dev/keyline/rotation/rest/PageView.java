package dev.keyline.rotation.rest;

import java.util.List;
import java.util.function.Function;

import dev.keyline.rotation.ResultPage;

/** One page of a listing, with the total so clients can page without guessing (the shape every service lists in). */
public record PageView<T>(List<T> items, int page, int size, long total) {

    static <S, T> PageView<T> of(ResultPage<S> result, int page, int size, Function<S, T> view) {
        return new PageView<>(result.items().stream().map(view).toList(), page, size, result.total());
    }
}
