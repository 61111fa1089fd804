package io.deepmnist.bench;

import io.deepmnist.engine.JitActivity;
import java.time.Duration;
import java.util.Locale;

/**
 * Load in turns, at concurrency 1, 8 and 32, until the JIT compiler has caught up with the paths under load. A
 * fresh path runs interpreted and cold at first, and on two cores the compiler takes half a minute to catch up:
 * without this the first scenario measured on a path pays for it, and a path that shares less code with the ones
 * measured before it (gRPC after HTTP) pays more.
 */
final class JitWarmUp {

    /** One turn of load on every path, at {@code concurrency}. */
    interface Turn {
        void run(int concurrency) throws Exception;
    }

    private static final int[] CONCURRENCY = {1, 8, 32};
    /** As the service's own start-up warm-up by default. */
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    private JitWarmUp() {
    }

    /** Prints how long it took, and whether the compiler caught up within a minute. */
    static void run(String what, Turn turn) throws Exception {
        JitActivity jit = new JitActivity(JitActivity.QUIET_WINDOW);
        long start = System.nanoTime();
        double share = jit.sample(start);
        for (int i = 0; !jit.caughtUp() && System.nanoTime() - start < AT_MOST.toNanos(); i++) {
            turn.run(CONCURRENCY[i % CONCURRENCY.length]);
            share = jit.sample(System.nanoTime());
        }
        System.out.printf(Locale.ROOT, "%s: %.0f s, the JIT compiler %s%n", what, (System.nanoTime() - start) / 1e9,
                jit.caughtUp() ? "had caught up" : String.format(Locale.ROOT, "still at %.0f %% of a core", share * 100));
    }
}
