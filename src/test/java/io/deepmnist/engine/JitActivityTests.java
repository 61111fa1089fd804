package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JitActivityTests {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong compiledMillis = new AtomicLong();
    private final JitActivity jit = new JitActivity(Duration.ofSeconds(3), compiledMillis::get);

    @Test
    void saysNothingUntilItsSamplesSpanAWholeWindow() {
        assertThat(jit.sample(0)).isEqualTo(-1);
        compiledMillis.set(900);
        assertThat(jit.sample(2 * SECOND)).isEqualTo(-1);
        assertThat(jit.sample(3 * SECOND)).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void measuresTheLastWindowOnly() {
        for (int s = 0; s <= 10; s++) {
            // A core's worth of compiling for 6 s, then 50 ms a second.
            compiledMillis.addAndGet(s == 0 ? 0 : s <= 6 ? 1_000 : 50);
            double share = jit.sample(s * SECOND);
            if (s == 6) {
                assertThat(share).isCloseTo(1.0, within(1e-9));
            } else if (s == 10) {
                assertThat(share).isCloseTo(0.05, within(1e-9));
            }
        }
    }

    @Test
    void aJvmThatCompilesNothingReadsAsQuiet() {
        jit.sample(0);
        assertThat(jit.sample(4 * SECOND)).isZero();
    }

    @Test
    void caughtUpNeedsAQuietWholeWindowAndFiveSecondsSinceTheFirstSample() {
        jit.sample(0);
        assertThat(jit.caughtUp()).as("no whole window yet").isFalse();
        compiledMillis.set(30);
        jit.sample(3 * SECOND);
        assertThat(jit.caughtUp()).as("quiet (1 %%), but 3 s after the first sample").isFalse();
        compiledMillis.set(1_000);
        jit.sample(6 * SECOND);
        assertThat(jit.caughtUp()).as("a third of a core over the last window").isFalse();
        compiledMillis.set(1_140);
        jit.sample(9 * SECOND);
        assertThat(jit.caughtUp()).as("140 ms in 3 s: 4.7 %%").isTrue();
    }
}
