package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrafficPolicyTests {

    private static final TrafficPolicy SPLIT = new TrafficPolicy(List.of(new TrafficPolicy.Route("default", 90),
            new TrafficPolicy.Route("challenger", 10)), "X-Client-Id", null, null);

    /** Sequential ids, the hardest case for a weak hash, still split 90/10 (99.9 % interval of 20,000 draws). */
    @Test
    void stickyValuesSplitInProportionToTheWeights() {
        int challenger = 0;
        for (int i = 0; i < 20_000; i++) {
            challenger += SPLIT.choose("client-" + i).equals("challenger") ? 1 : 0;
        }
        assertThat(challenger).isBetween(1861, 2139);
    }

    @Test
    void oneValueAlwaysMeetsOneRouteAndNoValueIsRandom() {
        SplittableRandom random = new SplittableRandom(1);
        for (int c = 0; c < 100; c++) {
            String client = Long.toHexString(random.nextLong());
            String first = SPLIT.choose(client);
            for (int i = 0; i < 20; i++) {
                assertThat(SPLIT.choose(client)).isEqualTo(first);
            }
        }
        int challenger = 0;
        for (int i = 0; i < 20_000; i++) {
            challenger += SPLIT.choose(null).equals("challenger") ? 1 : 0;
        }
        // Unseeded: 4.5 standard deviations, so that it fails about once in 150,000 runs by chance.
        assertThat(challenger).isBetween(1809, 2191);
    }

    @Test
    void aZeroWeightRouteGetsNothing() {
        TrafficPolicy off = new TrafficPolicy(List.of(new TrafficPolicy.Route("default", 100), new TrafficPolicy.Route("challenger", 0)),
                null, null, null);
        for (int i = 0; i < 1000; i++) {
            assertThat(off.choose(null)).isEqualTo("default");
            assertThat(off.choose("c" + i)).isEqualTo("default");
        }
    }

    @Test
    void checkRefusesWhatCannotBeRouted() {
        Set<String> aliases = Set.of("default", "challenger");
        SPLIT.check(aliases);
        assertThatThrownBy(() -> new TrafficPolicy(List.of(new TrafficPolicy.Route("default", 1), new TrafficPolicy.Route("default", 1)),
                null, null, null).check(aliases)).hasMessageContaining("twice");
        assertThatThrownBy(() -> new TrafficPolicy(List.of(new TrafficPolicy.Route("default", -1)), null, null, null).check(aliases))
                .hasMessageContaining("whole percentage");
        assertThatThrownBy(() -> new TrafficPolicy(null, null, null, null).check(aliases)).hasMessageContaining("routes");
        assertThatThrownBy(() -> new TrafficPolicy(List.of(new TrafficPolicy.Route("gone", 1)), null, null, null).check(aliases))
                .isInstanceOf(AliasException.class).extracting(e -> ((AliasException) e).kind()).isEqualTo(AliasException.Kind.NOT_FOUND);
        assertThat(SPLIT.uses("challenger")).isTrue();
        assertThat(SPLIT.uses("other")).isFalse();
    }
}
