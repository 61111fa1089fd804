package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The two-proportion test behind autoPromote, on numbers worked by hand. */
class AutoPromotionRuleTests {

    private static AutoPromotion.Side side(String alias, long labelled, long correct) {
        return new AutoPromotion.Side(alias, alias + "-model", labelled, correct, (double) correct / labelled);
    }

    @Test
    void zIsTheDifferenceInPooledStandardErrors() {
        // 900 of 1000 against 850 of 1000: pooled 0.875, se = sqrt(0.875 * 0.125 * 0.002) = 0.0147902.
        assertThat(AutoPromotion.z(side("challenger", 1000, 900), side("default", 1000, 850), 0)).isCloseTo(3.38062, within(1e-4));
        assertThat(AutoPromotion.z(side("challenger", 1000, 900), side("default", 1000, 850), 0.02)).isCloseTo(2.02837, within(1e-4));
        assertThat(AutoPromotion.z(side("challenger", 10, 10), side("default", 10, 10), 0)).isZero();
    }

    @Test
    void itPromotesRollsBackOrWaits() {
        TrafficPolicy.AutoPromote rule = new TrafficPolicy.AutoPromote(200, 0.0);
        assertThat(AutoPromotion.decide(side("challenger", 1000, 900), side("default", 1000, 850), rule).decision()).isEqualTo("promote");
        assertThat(AutoPromotion.decide(side("challenger", 1000, 850), side("default", 1000, 900), rule).decision()).isEqualTo("rollback");
        assertThat(AutoPromotion.decide(side("challenger", 1000, 880), side("default", 1000, 870), rule))
                .as("z = 0.68: not evidence either way").isNull();
        assertThat(AutoPromotion.decide(side("challenger", 199, 199), side("default", 1000, 850), rule))
                .as("the challenger has fewer than minLabels").isNull();
        assertThat(AutoPromotion.decide(side("challenger", 1000, 900), side("default", 1000, 850), new TrafficPolicy.AutoPromote(200, 0.06)))
                .as("a margin of 6 points is more than the 5 it beats the default by").isNull();
        assertThat(new TrafficPolicy.AutoPromote(null, null).labelsNeeded()).isEqualTo(200);
    }
}
