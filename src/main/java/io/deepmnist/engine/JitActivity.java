package io.deepmnist.engine;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * How busy the JVM's JIT compiler has been lately: the share of one core it spent compiling over the last
 * {@code window}, from {@link CompilationMXBean#getTotalCompilationTime()} (all compiler threads together).
 * A JVM that keeps no compilation time (no JIT, {@code -Xint}) reads as never compiling. The service's prediction
 * warm-up and {@code bench predict} both wait for it to go quiet.
 */
public final class JitActivity {

    /** The compiler has caught up when it compiled less than this share of one core over {@link #QUIET_WINDOW}. */
    public static final double QUIET_SHARE = 0.05;
    public static final Duration QUIET_WINDOW = Duration.ofSeconds(3);
    /** Never sooner after the first sample: the first seconds of load start compiling a path in earnest. */
    public static final Duration AT_LEAST = Duration.ofSeconds(5);

    private final LongSupplier compilationMillis;
    private final long windowNanos;
    /** (nanoTime, compilation ms) pairs, oldest first, reaching back just past one window. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private long firstNanos;
    private double lastShare = -1;

    public JitActivity(Duration window) {
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
    public double sample(long nanoTime) {
        if (samples.isEmpty()) {
            firstNanos = nanoTime;
        }
        samples.addLast(new long[] {nanoTime, compilationMillis.getAsLong()});
        while (samples.size() > 2 && nanoTime - secondOldest()[0] >= windowNanos) {
            samples.removeFirst();
        }
        long[] oldest = samples.getFirst();
        long span = nanoTime - oldest[0];
        lastShare = span < windowNanos ? -1 : (samples.getLast()[1] - oldest[1]) * 1_000_000.0 / span;
        return lastShare;
    }

    private long[] secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }

    /**
     * Whether the compiler has caught up, as of the last sample: {@link #AT_LEAST} after the first, it compiled less
     * than {@link #QUIET_SHARE} of a core over the last window.
     */
    public boolean caughtUp() {
        return lastShare >= 0 && lastShare < QUIET_SHARE && samples.getLast()[0] - firstNanos >= AT_LEAST.toNanos();
    }

    private static LongSupplier compiler() {
        CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        if (bean == null || !bean.isCompilationTimeMonitoringSupported()) {
            return () -> 0;
        }
        return bean::getTotalCompilationTime;
    }
}
