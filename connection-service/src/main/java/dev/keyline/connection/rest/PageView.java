package dev.keyline.connection.rest;

import java.util.List;

/** One page of a listing, with the total so clients can page without guessing. */
public record PageView<T>(List<T> items, int page, int size, long total) {
}
