package dev.keyline.common.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Calls released together, for tests of races: each waits at one barrier, so they start at the same moment. */
public final class AtOnce {

    private AtOnce() {
    }

    /** Sends {@code calls} on {@code pool} (as many threads as calls), released together; their answers in order. */
    public static <T> List<T> run(ExecutorService pool, List<Callable<T>> calls) throws Exception {
        CyclicBarrier start = new CyclicBarrier(calls.size());
        List<Future<T>> answers = new ArrayList<>();
        for (Callable<T> call : calls) {
            answers.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return call.call();
            }));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : answers) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }
}
