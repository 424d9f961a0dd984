package dev.keyline.rotation;

import java.util.List;

/** One page of a listing and how many rows match in all, so that clients can page without guessing. */
public record ResultPage<T>(List<T> items, long total) {
}
