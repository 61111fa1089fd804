package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deepmnist.dataset.DataSplit;
import io.deepmnist.dataset.MnistFile;
import org.junit.jupiter.api.Test;

class FeedbackMixTests {

    private static final DataSplit ONE = DataSplit.of("feedback", new byte[MnistFile.PIXELS], new byte[] {3});

    @Test
    void aRatioIsAShareOfEachBatchAtLeastOneExample() {
        assertThat(new FeedbackMix(ONE, 0.2).perBatch(50)).isEqualTo(10);
        assertThat(new FeedbackMix(ONE, 0.2).perBatch(100)).isEqualTo(20);
        assertThat(new FeedbackMix(ONE, 0.001).perBatch(50)).isEqualTo(1);
        assertThat(new FeedbackMix(ONE, 1.0).perBatch(50)).isEqualTo(50);
    }

    @Test
    void nothingToMixOrARatioOutsideTheUnitIntervalIsRefused() {
        assertThatThrownBy(() -> new FeedbackMix(DataSplit.of("none", new byte[0], new byte[0]), 0.2)).hasMessageContaining("no labelled");
        assertThatThrownBy(() -> new FeedbackMix(ONE, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new FeedbackMix(ONE, -0.2)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new FeedbackMix(ONE, 1.5)).hasMessageContaining("(0, 1]");
    }
}
