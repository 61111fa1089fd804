package io.deepmnist.web;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * How busy the JVM's JIT compiler has been lately: the share of one core it spent compiling over the last
 * {@code window}, from {@link CompilationMXBean#getTotalCompilationTime()} (all compiler threads together).
 * A JVM that keeps no compilation time (no JIT, {@code -Xint}) reads as never compiling.
 */
final class JitActivity {

    private final LongSupplier compilationMillis;
    private final long windowNanos;
    /** (nanoTime, compilation ms) pairs, oldest first, reaching back just past one window. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    JitActivity(Duration window) {
        this(window, compiler());
    }

    JitActivity(Duration window, LongSupplier compilationMillis) {
        this.windowNanos = window.toNanos();
        this.compilationMillis = compilationMillis;
    }

    /**
     * Records the compiler's time so far.
     *
     * @return the share of one core spent compiling over the last window (0.25: a quarter of a core), or -1 until
     * the samples span a whole window
     */
    double sample(long nanoTime) {
        samples.addLast(new long[] {nanoTime, compilationMillis.getAsLong()});
        while (samples.size() > 2 && nanoTime - secondOldest()[0] >= windowNanos) {
            samples.removeFirst();
        }
        long[] oldest = samples.getFirst();
        long span = nanoTime - oldest[0];
        if (span < windowNanos) {
            return -1;
        }
        return (samples.getLast()[1] - oldest[1]) * 1_000_000.0 / span;
    }

    private long[] secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }

    private static LongSupplier compiler() {
        CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        if (bean == null || !bean.isCompilationTimeMonitoringSupported()) {
            return () -> 0;
        }
        return bean::getTotalCompilationTime;
    }
}
