package dev.keyline.certificate.egress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connection pools of one certificate version ({@link ClientTlsContext}), one per (checked
 * address, SNI host). Closing them is how a replaced or deleted certificate stops being presented
 * on connections that are already open.
 *
 * <p>Idle connections are closed by a sweep once a second across every certificate version holding
 * idle connections, and also when an exchange finds them past their time. A pool is dropped as soon
 * as nobody is in it and it keeps no connection: routes are chosen by callers (a wildcard domain and
 * DNS the caller controls give any number of host names), so pools that stayed would grow without
 * bound; this way there are never more pools than exchanges running plus connections kept.
 */
public final class ConnectionPools {

    private static final long SWEEP_MILLIS = 1000;
    private static final Set<ConnectionPools> LIVE = ConcurrentHashMap.newKeySet();

    static {
        EgressTimer.every(SWEEP_MILLIS, ConnectionPools::sweepAll);
    }

    record Route(InetSocketAddress address, String host) {
    }

    private final PoolSettings settings;
    private final ConcurrentHashMap<Route, ConnectionPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ConnectionPools(PoolSettings settings) {
        this.settings = settings;
    }

    /**
     * Enters the pool for a checked address and the host name the connection is verified for; the
     * caller must {@link ConnectionPool#leave()} it when done, which drops the pool if it is then unused.
     */
    ConnectionPool enter(InetAddress address, int port, String host) {
        Route route = new Route(new InetSocketAddress(address, port), host);
        while (true) {
            ConnectionPool pool = pools.computeIfAbsent(route, key -> new ConnectionPool(settings, this, key));
            if (pool.enter()) {
                if (closed) {
                    // Lost a race with close(): this pool must not keep anything either.
                    pool.close();
                }
                return pool;
            }
            // Dropped between the lookup and enter(): its last user already removed it, or is about to.
            pools.remove(route, pool);
        }
    }

    /** Removes a pool that has just become unused. */
    void forget(Route route, ConnectionPool pool) {
        pools.remove(route, pool);
    }

    /** Pools held, for tests and gauges: one per route in use or keeping a connection. */
    public int routes() {
        return pools.size();
    }

    /** Closes every pool: idle connections now, those in use when their exchange ends. */
    public void close() {
        closed = true;
        LIVE.remove(this);
        pools.values().forEach(ConnectionPool::close);
    }

    /** Idle connections kept, across all pools of this certificate version. */
    public int idleConnections() {
        return pools.values().stream().mapToInt(ConnectionPool::idleCount).sum();
    }

    /** Called after a connection went idle, so the sweep looks at this version. */
    void holdsIdle() {
        if (!closed) {
            LIVE.add(this);
        }
    }

    private static void sweepAll() {
        long now = System.nanoTime();
        for (ConnectionPools owner : LIVE) {
            owner.pools.values().forEach(pool -> pool.evictExpired(now));
            if (owner.idleConnections() == 0) {
                LIVE.remove(owner);
                if (owner.idleConnections() > 0) {
                    // A connection went idle in between; holdsIdle() may have run before the remove.
                    LIVE.add(owner);
                }
            }
        }
    }
}
