package dev.keyline.emulators.vault;

/**
 * Vault's logical operation, derived from the HTTP method exactly as Vault's HTTP layer does.
 *
 * <p>Why not dispatch on HTTP methods: Vault routes on the operation, and {@code GET ?list=true} is
 * a LIST just like the {@code LIST} method, while {@code POST} and {@code PUT} are the same update.
 */
enum Operation {
  READ,
  LIST,
  UPDATE,
  PATCH,
  DELETE,
  HEADER
}
