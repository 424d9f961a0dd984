package dev.keyline.connection.service;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.connection.SetupSql;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.snowflake.SnowflakeIdentifiers;
import dev.keyline.keys.PublicKeys;

/**
 * Writes the statements that prepare Snowflake for a connection, in the order Snowflake's key-pair
 * guide runs them: the service role and user ({@code TYPE = SERVICE}: no password, no MFA), the
 * role's grants, the key-admin role's right to change the user's keys, and the stored key's public
 * half in {@code RSA_PUBLIC_KEY}. Every identifier goes through {@link SnowflakeIdentifiers}, resolved
 * as the connection resolves it ({@code svc_loader} is {@code "SVC_LOADER"}), so the SQL names exactly
 * the objects the service logs in as. Nothing here runs the SQL: an administrator does, once.
 */
@ApplicationScoped
public class SetupStatements {

    @Inject
    ConnectionStore store;

    @Inject
    SnowflakeLogins logins;

    public SetupSql of(UUID id) {
        ConnectionEntity e = store.getSnowflake(id, "Setup SQL exists for Snowflake connections only");
        ConnectionEntity admin = e.keyAdminConnectionId == null ? null : store.find(e.keyAdminConnectionId);
        // Only the public half is derived; the private key stays in the login cache it came from.
        PublicKey publicKey = e.keyFingerprint == null ? null : logins.storedPublicKey(e);
        return SetupSql.of(e.id, statements(e.user, e.role, e.warehouse, e.database, e.schema,
                admin == null ? null : admin.role, publicKey));
    }

    static List<String> statements(String user, String role, String warehouse, String database, String schema,
            String keyAdminRole, PublicKey publicKey) {
        String u = SnowflakeIdentifiers.user(user);
        String r = role == null ? null : SnowflakeIdentifiers.object(role);
        List<String> out = new ArrayList<>();
        if (r != null) {
            out.add("CREATE ROLE IF NOT EXISTS " + r);
        }
        out.add("CREATE USER IF NOT EXISTS " + u + " TYPE = SERVICE" + (r == null ? "" : " DEFAULT_ROLE = " + r)
                + (warehouse == null ? "" : " DEFAULT_WAREHOUSE = " + SnowflakeIdentifiers.object(warehouse)));
        if (r != null) {
            out.add("GRANT ROLE " + r + " TO USER " + u);
            if (warehouse != null) {
                out.add("GRANT USAGE ON WAREHOUSE " + SnowflakeIdentifiers.object(warehouse) + " TO ROLE " + r);
            }
            if (database != null) {
                String db = SnowflakeIdentifiers.object(database);
                out.add("GRANT USAGE ON DATABASE " + db + " TO ROLE " + r);
                if (schema != null) {
                    out.add("GRANT USAGE ON SCHEMA " + db + "." + SnowflakeIdentifiers.object(schema) + " TO ROLE " + r);
                }
            }
        }
        if (keyAdminRole != null) {
            out.add("GRANT MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON USER " + u + " TO ROLE "
                    + SnowflakeIdentifiers.object(keyAdminRole));
        }
        if (publicKey != null) {
            // Base64 has no quote: the literal cannot be ended early.
            out.add("ALTER USER " + u + " SET RSA_PUBLIC_KEY='" + PublicKeys.toBase64Der(publicKey) + "'");
        }
        return out;
    }
}
