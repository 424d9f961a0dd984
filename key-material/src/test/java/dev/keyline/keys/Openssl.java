package dev.keyline.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real openssl CLI (present on every machine of this project) to cross-check our output. */
final class Openssl {

  private Openssl() {}

  /** Runs {@code openssl args...} with extra environment, feeding {@code stdin}; returns stdout as text, fails on non-zero exit. */
  static String run(Map<String, String> environment, byte[] stdin, String... args) {
    return new String(runBinary(environment, stdin, args), StandardCharsets.UTF_8);
  }

  /** As {@link #run(Map, byte[], String...)}, returning stdout's bytes. */
  static byte[] runBinary(Map<String, String> environment, byte[] stdin, String... args) {
    try {
      ProcessBuilder builder = new ProcessBuilder(concat("openssl", args));
      builder.environment().putAll(environment);
      Process process = builder.start();
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("openssl " + String.join(" ", args) + " timed out");
      }
      byte[] stdout = out.join();
      if (process.exitValue() != 0) {
        throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + new String(err.join(), StandardCharsets.UTF_8));
      }
      return stdout;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String run(String... args) {
    return run(Map.of(), null, args);
  }

  private static List<String> concat(String first, String... rest) {
    var all = new java.util.ArrayList<String>();
    all.add(first);
    all.addAll(List.of(rest));
    return all;
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
