package dev.keyline.certificate.egress;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for the egress side's timed work: closing sockets whose deadline passed, and
 * sweeping idle pooled connections. Created on first use (never during native-image build-time
 * initialisation) and shared: callers only schedule and cancel tasks.
 */
final class EgressTimer {

    private static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private EgressTimer() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "mtls-exchange-deadline");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true); // cancelled tasks must not pile up until their deadline
        return executor;
    }

    /** Closes the socket at the deadline unless cancelled first. */
    static ScheduledFuture<?> closeAt(Socket socket, long deadlineNanos) {
        return EXECUTOR.schedule(() -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Runs the task every period, first after one period; a failing run does not stop the next ones. */
    static void every(long periodMillis, Runnable task) {
        EXECUTOR.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException ignored) {
                // the next sweep tries again
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
}
