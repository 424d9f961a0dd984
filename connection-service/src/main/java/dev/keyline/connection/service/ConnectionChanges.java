package dev.keyline.connection.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.keyline.connection.persistence.ConnectionEntity;

/**
 * What a replace changes, as {@code field: before -> after} for the audit trail: who moved a
 * connection to which host or user, or widened a key-admin's scope, must be readable afterwards.
 * Metadata only (no key material is part of a connection's row); the free-text description is
 * reported as changed, not quoted, and so is an API connector's base URL query: it is where an API
 * key ends up when someone pastes the URL they were given, and the API call's audit never shows a query.
 */
final class ConnectionChanges {

    private static final int MAX = 1900;

    private ConnectionChanges() {
    }

    static String describe(ConnectionEntity before, ConnectionInput after) {
        List<String> changes = new ArrayList<>();
        change(changes, "name", before.name, after.name());
        if (!Objects.equals(before.description, after.description())) {
            changes.add("description changed");
        }
        change(changes, "timeoutSecs", before.timeoutSecs, after.timeoutSecs());
        change(changes, "useFriendlyNames", before.useFriendlyNames, after.useFriendlyNames());
        change(changes, "account", before.account, after.account());
        change(changes, "host", before.host, after.hostOverride());
        change(changes, "user", before.user, after.user());
        change(changes, "role", before.role, after.role());
        change(changes, "warehouse", before.warehouse, after.warehouse());
        change(changes, "database", before.database, after.database());
        change(changes, "schema", before.schema, after.schema());
        change(changes, "keyAdminConnectionId", before.keyAdminConnectionId, after.keyAdminConnectionId());
        change(changes, "managesUsers", before.managedUsers(), after.managesUsers() == null ? List.of() : after.managesUsers());
        change(changes, "baseUrl", withoutQuery(before.baseUrl), withoutQuery(after.baseUrl()));
        if (!Objects.equals(query(before.baseUrl), query(after.baseUrl()))) {
            changes.add("baseUrl query changed");
        }
        change(changes, "certificateId", before.certificateId, after.certificateId());
        String text = changes.isEmpty() ? "no changes" : String.join("; ", changes);
        return text.length() <= MAX ? text : text.substring(0, MAX) + "…";
    }

    private static void change(List<String> changes, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changes.add(field + ": " + shown(before) + " -> " + shown(after));
        }
    }

    private static String withoutQuery(String url) {
        int q = url == null ? -1 : url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String query(String url) {
        int q = url == null ? -1 : url.indexOf('?');
        return q < 0 ? null : url.substring(q + 1);
    }

    private static String shown(Object value) {
        return value == null ? "(none)" : value.toString();
    }
}
