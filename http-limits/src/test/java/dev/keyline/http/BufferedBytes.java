package dev.keyline.http;

import java.util.function.LongPredicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Waits until the bytes of the bodies being received reach a state, instead of sleeping a guess: on a
 * loaded machine 300 ms was sometimes not enough for 2 MB to arrive over loopback.
 */
@ApplicationScoped
public class BufferedBytes {

    @Inject
    RequestBodyDeadline deadline;

    public void await(LongPredicate reached) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        long now = deadline.bufferedBytes();
        while (!reached.test(now)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("bodies being received stayed at " + now + " bytes for 10 s");
            }
            Thread.sleep(20);
            now = deadline.bufferedBytes();
        }
    }
}
