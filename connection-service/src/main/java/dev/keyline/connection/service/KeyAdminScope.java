package dev.keyline.connection.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.snowflake.SnowflakeIdentifiers;

/**
 * Which Snowflake users a key-admin connection may change the keys of. A key-admin's role can run
 * {@code ALTER USER … SET RSA_PUBLIC_KEY} for any user of the account; without a scope, anyone
 * allowed to create connections could point one for any user at the key-admin and register a key
 * of their own for that user. So a key-admin declares its users ({@code details.managesUsers}:
 * names or {@code *} patterns, compared as Snowflake resolves names), and it never manages its
 * own user nor another key-admin's user (that would let one key-admin take over the other).
 *
 * <p>Checked when a connection is saved (its declaration, and its key-admin's scope over its user)
 * and again whenever the key-admin acts for it (key slots, credential swap): a scope narrowed
 * later applies at once. Refusals are 403 {@code key-admin-scope} naming the rule.
 */
@ApplicationScoped
public class KeyAdminScope {

    static final String SLUG = "key-admin-scope";

    @jakarta.inject.Inject
    ConnectionStore store;
    private static final Pattern UNQUOTED_PATTERN = Pattern.compile("[A-Za-z_*][A-Za-z0-9_$*]*");
    static final int MAX_ENTRIES = 100;

    /** Validates the declared entries (bad ones are field errors); an absent list is empty. */
    static List<String> validate(List<String> entries, List<FieldError> errors) {
        if (entries == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String field = "details.managesUsers[" + i + "]";
            String entry = entries.get(i) == null ? "" : entries.get(i).strip();
            if (entry.isEmpty()) {
                errors.add(new FieldError(field, "must be a user name or a pattern such as SVC_*"));
            } else if (entry.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                errors.add(new FieldError(field, "must not contain control characters"));
            } else if (entry.chars().allMatch(c -> c == '*')) {
                errors.add(new FieldError(field, "must name users, not every user of the account"));
            } else if (!out.contains(entry)) {
                out.add(entry);
            }
        }
        if (entries.size() > MAX_ENTRIES) {
            errors.add(new FieldError("details.managesUsers", "at most " + MAX_ENTRIES + " entries"));
        }
        return out;
    }

    /**
     * A key-admin's declaration: none of its patterns may cover its own user or the user of another
     * key-admin connection of the account.
     */
    public void checkDeclaration(UUID self, String account, String user, List<String> managesUsers) {
        if (managesUsers.isEmpty()) {
            return;
        }
        String own = SnowflakeIdentifiers.objectName(user);
        for (String pattern : managesUsers) {
            if (matches(pattern, own)) {
                throw refused("details.managesUsers", "A key-admin connection never manages its own user " + own
                        + " ('" + pattern + "' covers it): its key changes through its own connection only");
            }
        }
        for (ConnectionEntity other : store.keyAdminsOf(account)) {
            if (other.id.equals(self)) {
                continue;
            }
            String theirs = SnowflakeIdentifiers.objectName(other.user);
            for (String pattern : managesUsers) {
                if (matches(pattern, theirs)) {
                    throw refused("details.managesUsers", "'" + pattern + "' covers user " + theirs
                            + " of another key-admin connection ('" + other.name + "'); a key-admin never manages another's user");
                }
            }
        }
    }

    /**
     * May {@code admin} change the keys of {@code targetUser} (the user of connection
     * {@code targetId})? A connection that is its own key-admin always may: it only ever changes the
     * user whose key it holds.
     *
     * @param targetIsKeyAdmin whether the target connection declares users itself (for one not saved yet)
     */
    public void checkTarget(ConnectionEntity admin, UUID targetId, String targetUser, boolean targetIsKeyAdmin) {
        if (admin.id.equals(targetId)) {
            return;
        }
        if (!admin.isKeyAdmin()) {
            throw refused("details.keyAdminConnectionId", "The connection '" + admin.name
                    + "' declares no users (details.managesUsers): it is not a key-admin connection");
        }
        String target = SnowflakeIdentifiers.objectName(targetUser);
        if (target.equals(SnowflakeIdentifiers.objectName(admin.user))) {
            throw refused("details.user", "The key-admin connection '" + admin.name
                    + "' may not change the keys of its own user " + target + " for another connection");
        }
        if (targetIsKeyAdmin) {
            throw refused("details.user", "User " + target + " belongs to a key-admin connection; another key-admin ('"
                    + admin.name + "') may not manage it");
        }
        for (ConnectionEntity other : store.keyAdminsOf(admin.account)) {
            if (!other.id.equals(admin.id) && target.equals(SnowflakeIdentifiers.objectName(other.user))) {
                throw refused("details.user", "User " + target + " is the user of another key-admin connection ('"
                        + other.name + "'); key-admin '" + admin.name + "' may not manage it");
            }
        }
        for (String pattern : admin.managedUsers()) {
            if (matches(pattern, target)) {
                return;
            }
        }
        throw refused("details.user", "The key-admin connection '" + admin.name + "' does not declare user " + target
                + " in details.managesUsers");
    }

    /** Whether a declared name or pattern covers a user object name, both resolved as Snowflake resolves names. */
    static boolean matches(String pattern, String objectName) {
        String resolved = UNQUOTED_PATTERN.matcher(pattern).matches() ? pattern.toUpperCase(Locale.ROOT) : pattern;
        return glob(resolved, objectName);
    }

    /**
     * {@code *} matches any run of characters, everything else itself. Not a regular expression: both
     * sides are the caller's (a pattern and a user name of up to 255 characters each), and {@code .*}
     * between literals backtracks polynomially in the name with the number of stars as the exponent
     * ({@code *A*A*A*B} against 255 {@code A}s: 11 s of a worker's CPU; a few more stars, for ever).
     * Going back only to the last star bounds this at pattern length times name length.
     */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                // The last star takes one more character; earlier stars never need to give any back.
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /**
     * A key-admin connection's own key slots are set by its rotation only (rotation-service's
     * {@code connections:rotate}), which stores the key it registers: a key registered by hand would
     * be a login with the key-admin's role for whoever holds its private key.
     */
    static ProblemException ownSlotsByRotationOnly(ConnectionEntity keyAdmin) {
        return refused("details.user", "Connection '" + keyAdmin.name + "' is a key-admin connection: the key slots of its own "
                + "user " + SnowflakeIdentifiers.objectName(keyAdmin.user) + " are set by its rotation only (POST "
                + "/api/v1/connections/" + keyAdmin.id + "/rotations on rotation-service), so that no one holds a "
                + "private key of the key-admin's role that keyline does not store");
    }

    private static ProblemException refused(String field, String detail) {
        return new ProblemException(403, SLUG, "Outside the key-admin's scope", detail,
                List.of(new FieldError(field, "outside the key-admin's scope")));
    }
}
