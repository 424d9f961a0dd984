package dev.keyline.certificate.egress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one certificate version to one checked address under one SNI host.
 *
 * <p>The key is what makes reuse safe: a connection was verified for exactly this host name and
 * presents exactly this certificate version, and goes to exactly the address the egress policy
 * checked for this call. A new connection is opened only when no idle one is left, so connections
 * in use and idle together never exceed the limit. Idle connections are reused newest first, so
 * the oldest ones age out.
 *
 * <p>Every exchange {@link #enter()}s the pool before it waits for a connection and {@link #leave()}s
 * it at the end; the last one out of a pool that keeps no connection drops it from its owner, as does
 * the sweep that closes its last idle connection. A dropped pool refuses {@code enter()}, so nobody
 * waits in a pool that is no longer reachable.
 */
final class ConnectionPool {

    private final PoolSettings settings;
    private final Semaphore permits;
    private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    private final ConnectionPools owner;
    private final ConnectionPools.Route route;
    /** Keeps no connection any more (its certificate version closed, or dropped). */
    private boolean closed;
    /** Removed from its owner: nobody may enter. */
    private boolean dropped;
    /** Exchanges between enter() and leave(), waiting for a connection included. */
    private int users;

    ConnectionPool(PoolSettings settings, ConnectionPools owner, ConnectionPools.Route route) {
        this.settings = settings;
        this.owner = owner;
        this.route = route;
        this.permits = new Semaphore(settings.maxConnections(), true);
    }

    /** Counts one more exchange in this pool; false once the pool was dropped (look it up again). */
    synchronized boolean enter() {
        if (dropped) {
            return false;
        }
        users++;
        return true;
    }

    /** The end of an exchange in this pool: drops the pool when nobody is left in it and it keeps nothing. */
    void leave() {
        boolean drop;
        synchronized (this) {
            users--;
            drop = dropIfUnused();
        }
        if (drop) {
            owner.forget(route, this);
        }
    }

    /** Marks the pool dropped when unused; the caller removes it from its owner. Holds the lock. */
    private boolean dropIfUnused() {
        if (dropped || users > 0 || !idle.isEmpty()) {
            return false;
        }
        dropped = true;
        closed = true;
        return true;
    }

    /** Waits for the right to use one connection of this pool. */
    boolean acquire(long timeoutNanos) throws InterruptedException {
        return permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    void release() {
        permits.release();
    }

    int limit() {
        return settings.maxConnections();
    }

    /** Whether connections are kept at all (an idle timeout of zero turns reuse off). */
    boolean keepsConnections() {
        return settings.idleTimeout().toNanos() > 0;
    }

    /** The newest idle connection still open and within its idle time, or null; stale ones are closed. */
    PooledConnection takeIdle(long nowNanos) {
        List<PooledConnection> stale = new ArrayList<>();
        PooledConnection found = null;
        synchronized (this) {
            PooledConnection candidate;
            while ((candidate = idle.pollLast()) != null) {
                if (!candidate.expired(nowNanos)) {
                    found = candidate;
                    break;
                }
                stale.add(candidate);
            }
        }
        stale.forEach(PooledConnection::close);
        return found;
    }

    /**
     * Keeps a connection whose last response ended cleanly, or closes it when the pool is closed,
     * reuse is off, or the pool is full.
     *
     * @param serverIdleNanos the server's own {@code Keep-Alive: timeout}, or a negative number when it gave none
     */
    void giveBack(PooledConnection connection, long nowNanos, long serverIdleNanos) {
        long limit = settings.idleTimeout().toNanos();
        if (serverIdleNanos >= 0) {
            // Close a little before the server does, so a reused connection is rarely one it is closing.
            limit = Math.min(limit, serverIdleNanos * 3 / 4);
        }
        boolean kept = false;
        synchronized (this) {
            if (!closed && limit > 0 && idle.size() < settings.maxConnections()) {
                connection.idleSince(nowNanos, limit);
                idle.addLast(connection);
                kept = true;
            }
        }
        if (kept) {
            owner.holdsIdle();
        } else {
            connection.close();
        }
    }

    /** Closes idle connections past their time, and drops the pool when that left it unused. */
    void evictExpired(long nowNanos) {
        List<PooledConnection> stale = new ArrayList<>();
        boolean drop;
        synchronized (this) {
            idle.removeIf(connection -> {
                if (connection.expired(nowNanos)) {
                    stale.add(connection);
                    return true;
                }
                return false;
            });
            drop = !stale.isEmpty() && dropIfUnused();
        }
        stale.forEach(PooledConnection::close);
        if (drop) {
            owner.forget(route, this);
        }
    }

    /** Closes every idle connection now; connections in use are closed when they come back. */
    void close() {
        List<PooledConnection> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        all.forEach(PooledConnection::close);
    }

    synchronized int idleCount() {
        return idle.size();
    }
}
