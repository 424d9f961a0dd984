package dev.keyline.emulators.vault;

import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The merged rules of a token's policies, answering "may this token do that on this path" as
 * Vault's ACL does for the subset of {@link AclPolicy}.
 *
 * <p>How Vault decides, and so the emulator (developer.hashicorp.com/vault/docs/concepts/policies,
 * "Policy syntax" and "Priority matching"): a pattern is an exact path, a prefix ending in a
 * {@code *} glob, and may have {@code +} segments matching exactly one path segment. The same
 * pattern in several policies has the union of their capabilities; of different matching patterns
 * only the highest-priority one applies, where P1 is lower priority than P2 if (1) its first
 * {@code +} or {@code *} comes earlier, (2) it ends in {@code *} and P2 does not, (3) it has more
 * {@code +} segments, (4) it is shorter, (5) it is smaller lexicographically. {@code deny} in the
 * applying rule refuses everything; no matching rule refuses everything.
 */
final class Acl {

  private static final Comparator<String> PRIORITY =
      Comparator.comparingInt(Acl::firstWildcard)
          .thenComparing(p -> !p.endsWith("*"))
          .thenComparing(p -> -plusSegments(p))
          .thenComparingInt(String::length)
          .thenComparing(Comparator.naturalOrder());

  private final Map<String, Set<Capability>> rules = new LinkedHashMap<>();

  Acl(Collection<AclPolicy> policies) {
    for (AclPolicy policy : policies) {
      policy
          .rules()
          .forEach(
              (pattern, caps) ->
                  rules.computeIfAbsent(pattern, p -> EnumSet.noneOf(Capability.class)).addAll(caps));
    }
  }

  /**
   * Whether {@code capability} is granted on {@code path} (no leading slash). For {@code list} the
   * path carries Vault's trailing slash, and a pattern also applies when it matches the path without
   * it ({@code path "secret/metadata/app"} allows {@code LIST secret/metadata/app}; for {@code +}
   * patterns since Vault 1.15, hashicorp/vault#23874).
   */
  boolean allows(String path, Capability capability) {
    Optional<String> applying = applyingPattern(path);
    if (capability == Capability.LIST && path.endsWith("/") && path.length() > 1) {
      Optional<String> trimmed = applyingPattern(path.substring(0, path.length() - 1));
      if (applying.isEmpty()
          || (trimmed.isPresent() && PRIORITY.compare(trimmed.get(), applying.get()) > 0)) {
        applying = trimmed;
      }
    }
    if (applying.isEmpty()) {
      return false;
    }
    Set<Capability> caps = rules.get(applying.get());
    return !caps.contains(Capability.DENY) && caps.contains(capability);
  }

  /** The highest-priority pattern matching {@code path}, if any. */
  Optional<String> applyingPattern(String path) {
    return rules.keySet().stream().filter(p -> matches(p, path)).max(PRIORITY);
  }

  static boolean matches(String pattern, String path) {
    boolean glob = pattern.endsWith("*");
    String body = glob ? pattern.substring(0, pattern.length() - 1) : pattern;
    if (!body.contains("+")) {
      return glob ? path.startsWith(body) : path.equals(body);
    }
    List<String> want = List.of(body.split("/", -1));
    List<String> have = List.of(path.split("/", -1));
    if (glob ? have.size() < want.size() : have.size() != want.size()) {
      return false;
    }
    int last = want.size() - 1;
    for (int i = 0; i <= last; i++) {
      String w = want.get(i);
      String h = have.get(i);
      if (w.equals("+")) {
        continue;
      }
      boolean ok = glob && i == last ? h.startsWith(w) : h.equals(w);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Index of the first {@code +} segment or {@code *}; the pattern's length + 1 when none. */
  private static int firstWildcard(String pattern) {
    int first = pattern.length() + 1;
    int star = pattern.indexOf('*');
    if (star >= 0) {
      first = star;
    }
    int offset = 0;
    for (String segment : pattern.split("/", -1)) {
      if (segment.equals("+")) {
        return Math.min(first, offset);
      }
      offset += segment.length() + 1;
    }
    return first;
  }

  private static int plusSegments(String pattern) {
    String body = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
    int count = 0;
    for (String segment : body.split("/", -1)) {
      if (segment.equals("+")) {
        count++;
      }
    }
    return count;
  }
}
