package io.deepmnist.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatcherTests {

    private static final int SIZE = 20;

    /** A split whose example i has every pixel equal to i/255, so a batch tells which examples it holds. */
    private static DataSplit numbered() {
        byte[] pixels = new byte[SIZE * MnistFile.PIXELS];
        byte[] labels = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            java.util.Arrays.fill(pixels, i * MnistFile.PIXELS, (i + 1) * MnistFile.PIXELS, (byte) i);
            labels[i] = (byte) (i % 10);
        }
        return new DataSplit("numbered", pixels, 0, labels, 0, 0, SIZE);
    }

    private static List<Integer> draw(Batcher batcher, int batches, int batchSize) {
        Batch batch = new Batch(batchSize);
        List<Integer> ids = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            batcher.next(batch);
            for (int s = 0; s < batchSize; s++) {
                ids.add(Math.round(batch.images()[s * MnistFile.PIXELS] * 255));
                assertThat(batch.labels()[s * 10 + ids.get(ids.size() - 1) % 10]).isEqualTo(1f);
            }
        }
        return ids;
    }

    @Test
    void everyEpochIsAFreshPermutationOfTheWholeSplit() {
        List<Integer> ids = draw(numbered().batcher(7), 8, 5);
        List<Integer> first = ids.subList(0, SIZE);
        List<Integer> second = ids.subList(SIZE, 2 * SIZE);
        assertThat(new HashSet<>(first)).hasSize(SIZE);
        assertThat(new HashSet<>(second)).hasSize(SIZE);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void aBatchThatCrossesAnEpochTakesTheRestThenTheNextEpochsStart() {
        Batcher batcher = numbered().batcher(3);
        List<Integer> ids = draw(batcher, 3, 7);
        Set<Integer> firstEpoch = new HashSet<>(ids.subList(0, SIZE));
        assertThat(firstEpoch).hasSize(SIZE);
        assertThat(batcher.epochsCompleted()).isEqualTo(1);
        assertThat(batcher.position()).isEqualTo(21);
    }

    @Test
    void theSameSeedGivesTheSameOrderAndAnotherSeedAnother() {
        assertThat(draw(numbered().batcher(11), 6, 10)).isEqualTo(draw(numbered().batcher(11), 6, 10));
        assertThat(draw(numbered().batcher(11), 6, 10)).isNotEqualTo(draw(numbered().batcher(12), 6, 10));
    }

    @Test
    void seekContinuesExactlyWhereAnUninterruptedRunWouldBe() {
        List<Integer> uninterrupted = draw(numbered().batcher(5), 10, 6);
        Batcher resumed = numbered().batcher(5);
        resumed.seek(4 * 6);
        assertThat(draw(resumed, 6, 6)).isEqualTo(uninterrupted.subList(24, 60));
    }

    @Test
    void aRangeOfSlotsIsFilledAndTheOthersAreLeftAlone() {
        byte[] pixels = new byte[3 * MnistFile.PIXELS];
        java.util.Arrays.fill(pixels, MnistFile.PIXELS, 2 * MnistFile.PIXELS, (byte) 1);
        java.util.Arrays.fill(pixels, 2 * MnistFile.PIXELS, 3 * MnistFile.PIXELS, (byte) 2);
        DataSplit labelled = DataSplit.of("feedback", pixels, new byte[] {7, 8, 9});
        Batch batch = new Batch(5);
        java.util.Arrays.fill(batch.images(), -1f);
        labelled.batcher(3).next(batch, 2, 2);
        for (int slot = 0; slot < 5; slot++) {
            float pixel = batch.images()[slot * MnistFile.PIXELS];
            if (slot == 2 || slot == 3) {
                int example = Math.round(pixel * 255);
                assertThat(batch.labels()[slot * 10 + 7 + example]).as("slot %d holds example %d, a %d", slot, example, 7 + example).isEqualTo(1f);
            } else {
                assertThat(pixel).as("slot %d", slot).isEqualTo(-1f);
            }
        }
        assertThat(labelled.batcher(3).position()).isZero();
        assertThatThrownBy(() -> DataSplit.of("bad", new byte[MnistFile.PIXELS], new byte[] {10}))
                .hasMessageContaining("digit 0-9");
        assertThatThrownBy(() -> DataSplit.of("bad", new byte[10], new byte[] {1}))
                .hasMessageContaining("pixel bytes");
    }
}
