package dev.keyline.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes auth method's login endpoint, for services that authenticate with a service
 * account token instead of a static client token.
 *
 * <p>Why only login: that is the whole client-visible surface of the method. The emulator cannot
 * ask a Kubernetes API server to review the JWT, so each role is configured with the exact JWT it
 * accepts (or none, accepting any non-empty JWT); a wrong JWT is a 403 as a failed review is.
 * Issued tokens carry {@code default} and the role's policies ({@code token_policies}), which the
 * emulator enforces ({@link Acl}).
 */
final class KubernetesLogin {

  /**
   * A role: the accepted JWT (empty: any non-empty JWT) and the policies its tokens get besides
   * {@code default}.
   */
  record Role(String jwt, List<String> policies) {
    Role {
      jwt = jwt == null ? "" : jwt;
      policies = List.copyOf(policies);
    }
  }

  private final Map<String, Role> roles;
  private final Duration tokenTtl;
  private final TokenRegistry tokens;

  KubernetesLogin(Map<String, Role> roles, Duration tokenTtl, TokenRegistry tokens) {
    this.roles = Map.copyOf(roles);
    this.tokenTtl = tokenTtl;
    this.tokens = tokens;
  }

  VaultResponse login(VaultRequest request) {
    if (request.operation() != Operation.UPDATE) {
      return VaultResponse.unsupportedOperation();
    }
    String role = text(request.field("role"));
    if (role.isEmpty()) {
      throw VaultApiException.badRequest("missing role");
    }
    String jwt = text(request.field("jwt"));
    if (jwt.isEmpty()) {
      throw VaultApiException.badRequest("missing jwt");
    }
    Role accepted = roles.get(role);
    if (accepted == null) {
      throw VaultApiException.badRequest("invalid role name \"" + role + "\"");
    }
    if (!accepted.jwt().isEmpty() && !accepted.jwt().equals(jwt)) {
      return VaultResponse.permissionDenied();
    }
    List<String> policies = new ArrayList<>(List.of("default"));
    accepted.policies().stream().filter(p -> !policies.contains(p)).forEach(policies::add);
    TokenRegistry.Token token =
        tokens.issue(
            policies,
            "auth/kubernetes/login",
            "kubernetes-" + role,
            tokenTtl,
            Map.of("role", role));
    return VaultResponse.envelope(
        200, request.requestId(), null, List.of(), TokenRegistry.authBlock(token), "kubernetes");
  }

  private static String text(JsonNode node) {
    return node == null ? "" : node.asText();
  }
}
