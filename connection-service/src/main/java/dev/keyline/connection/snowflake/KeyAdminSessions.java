package dev.keyline.connection.snowflake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * Idle, logged-in sessions of key-admin connections, kept a short while for the next key-slot
 * operation of the same connection.
 *
 * <p>
 * Why: a rotation reads and changes key slots through its key-admin connection seven times; a fresh
 * login for each costs the JWT signature, Snowflake's session set-up and its verification, most of
 * connection-service's CPU per rotation. Snowflake sessions stay valid for hours (the driver renews
 * the session token with its master token), so reusing one for DESC/ALTER USER changes nothing
 * the operations see. Logins that prove a key works (connection test, candidate key, the login
 * before a swap) never come here.
 *
 * <p>
 * A session is kept under a {@link Key} naming the admin connection's row version, credential
 * version and key fingerprint as the current request read them: after any change of the admin
 * connection (settings, key) or its delete the key differs, so an old session is never handed out;
 * the first borrow with the newer key, {@link #forget} or the idle sweep closes the old ones. Entries
 * are taken most recently returned first, so surplus sessions age out. Bounded per connection
 * ({@code maxIdle}) and in all ({@code maxIdleTotal}); closing (a logout request) runs on
 * {@code closer}, never under this object's lock.
 *
 * <p>
 * Holds {@link AutoCloseable}s so that {@code java.sql} stays in {@link SnowflakeGateway}.
 */
public final class KeyAdminSessions<S extends AutoCloseable> {

    private static final Logger LOG = Logger.getLogger(KeyAdminSessions.class);

    /**
     * What a kept session was logged in as: the admin connection and the versions of its row and
     * credential, and its key's fingerprint, as read by the request that borrows or returns it.
     */
    public record Key(UUID connection, long rowVersion, int credentialVersion, String keyFingerprint) {
    }

    private record Idle<S>(S session, long since) {
    }

    /** The idle sessions of one admin connection, all logged in as {@code key}. */
    private static final class Entry<S> {
        Key key;
        final Deque<Idle<S>> idle = new ArrayDeque<>();

        Entry(Key key) {
            this.key = key;
        }
    }

    private final int maxIdle;
    private final int maxIdleTotal;
    private final long idleNanos;
    private final Executor closer;
    private final LongSupplier nanoTime;
    private final Map<UUID, Entry<S>> entries = new HashMap<>();
    private int idleCount;

    KeyAdminSessions(int maxIdle, int maxIdleTotal, Duration idleTime, Executor closer, LongSupplier nanoTime) {
        this.maxIdle = Math.max(0, maxIdle);
        this.maxIdleTotal = Math.max(0, maxIdleTotal);
        this.idleNanos = idleTime.toNanos();
        this.closer = closer;
        this.nanoTime = nanoTime;
    }

    /** Whether sessions are kept at all ({@code max-idle} 0 turns reuse off). */
    boolean enabled() {
        return maxIdle > 0 && maxIdleTotal > 0 && idleNanos > 0;
    }

    /**
     * The most recently returned idle session logged in as {@code key}, or null. Idle sessions of the
     * same connection under another (older) key are closed.
     */
    S take(Key key) {
        List<S> closing = new ArrayList<>();
        S found = null;
        synchronized (this) {
            Entry<S> entry = entries.get(key.connection());
            if (entry == null) {
                return null;
            }
            if (!entry.key.equals(key)) {
                if (key.rowVersion() < entry.key.rowVersion()) {
                    return null; // this request read the row before a change: its result goes, not the newer sessions
                }
                drain(entry, closing);
                entry.key = key;
            }
            long now = nanoTime.getAsLong();
            while (found == null && !entry.idle.isEmpty()) {
                Idle<S> idle = entry.idle.pollFirst();
                idleCount--;
                if (now - idle.since() < idleNanos) {
                    found = idle.session();
                } else {
                    closing.add(idle.session());
                }
            }
        }
        closeAll(closing);
        return found;
    }

    /**
     * Keeps a session that just completed its work, or closes it when reuse is off, the limits are
     * reached, or the connection has changed since (its entry names a newer key).
     */
    void put(Key key, S session) {
        List<S> closing = new ArrayList<>();
        synchronized (this) {
            Entry<S> entry = entries.get(key.connection());
            if (!enabled() || idleCount >= maxIdleTotal) {
                closing.add(session);
            } else if (entry == null) {
                entry = new Entry<>(key);
                entries.put(key.connection(), entry);
                keep(entry, session);
            } else if (entry.key.equals(key)) {
                if (entry.idle.size() >= maxIdle) {
                    closing.add(session);
                } else {
                    keep(entry, session);
                }
            } else if (key.rowVersion() > entry.key.rowVersion()) {
                drain(entry, closing);
                entry.key = key;
                keep(entry, session);
            } else {
                closing.add(session);
            }
        }
        closeAll(closing);
    }

    /** Closes the idle sessions of a deleted or changed connection. */
    void forget(UUID connection) {
        List<S> closing = new ArrayList<>();
        synchronized (this) {
            Entry<S> entry = entries.remove(connection);
            if (entry != null) {
                drain(entry, closing);
            }
        }
        closeAll(closing);
    }

    /** Closes the sessions idle for the idle time or longer; drops empty entries. Returns how many were closed. */
    int sweep() {
        List<S> closing = new ArrayList<>();
        synchronized (this) {
            long now = nanoTime.getAsLong();
            for (Iterator<Entry<S>> it = entries.values().iterator(); it.hasNext();) {
                Entry<S> entry = it.next();
                // Oldest at the end: stop at the first one still young enough.
                while (!entry.idle.isEmpty() && now - entry.idle.peekLast().since() >= idleNanos) {
                    closing.add(entry.idle.pollLast().session());
                    idleCount--;
                }
                if (entry.idle.isEmpty()) {
                    it.remove();
                }
            }
        }
        closeAll(closing);
        return closing.size();
    }

    /** Removes every idle session and hands them to the caller (shutdown closes them itself). */
    synchronized List<S> drainAll() {
        List<S> all = new ArrayList<>();
        for (Entry<S> entry : entries.values()) {
            drain(entry, all);
        }
        entries.clear();
        return all;
    }

    synchronized int idle() {
        return idleCount;
    }

    private void keep(Entry<S> entry, S session) {
        entry.idle.addFirst(new Idle<>(session, nanoTime.getAsLong()));
        idleCount++;
    }

    private void drain(Entry<S> entry, List<S> into) {
        for (Idle<S> idle : entry.idle) {
            into.add(idle.session());
        }
        idleCount -= entry.idle.size();
        entry.idle.clear();
    }

    private void closeAll(List<S> sessions) {
        for (S session : sessions) {
            try {
                closer.execute(() -> close(session));
            } catch (RuntimeException e) {
                close(session); // the closer is shut down: close here
            }
        }
    }

    static void close(AutoCloseable session) {
        try {
            session.close();
        } catch (Exception e) {
            LOG.debugf("Closing an idle Snowflake session failed: %s", e.getClass().getName());
        }
    }
}
