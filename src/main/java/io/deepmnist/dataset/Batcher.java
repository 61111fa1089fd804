package io.deepmnist.dataset;

import java.util.SplittableRandom;

/**
 * {@code next_batch} as {@code read_data_sets} does it: the examples are shuffled at the start of every
 * epoch, and a batch that crosses the end of an epoch takes the rest of it plus the start of the next.
 *
 * <p>Each epoch's order depends only on the seed and the epoch number, so the whole position is the number
 * of examples served; {@link #seek(long)} puts a resumed run exactly where the interrupted one stopped.
 */
public final class Batcher {

    private final DataSplit split;
    private final long seed;
    private final int[] order;
    private long epoch = -1;
    private int indexInEpoch;

    Batcher(DataSplit split, long seed) {
        this.split = split;
        this.seed = seed;
        this.order = new int[split.size()];
        seek(0);
    }

    /** Continues after {@code examplesServed} examples, as if they had just been drawn. */
    public void seek(long examplesServed) {
        if (examplesServed < 0) {
            throw new IllegalArgumentException("position must not be negative: " + examplesServed);
        }
        startEpoch(examplesServed / split.size());
        indexInEpoch = (int) (examplesServed % split.size());
    }

    /** Number of examples served since the start, across epochs. */
    public long position() {
        return epoch * split.size() + indexInEpoch;
    }

    public long epochsCompleted() {
        return epoch;
    }

    /** Fills {@code batch} with the next {@code batch.size()} examples. */
    public void next(Batch batch) {
        next(batch, 0, batch.size());
    }

    /** Fills {@code count} slots of {@code batch} from slot {@code first} on with the next examples. */
    public void next(Batch batch, int first, int count) {
        if (first < 0 || count < 0 || first + count > batch.size()) {
            throw new IllegalArgumentException("slots %d-%d are outside a batch of %d".formatted(first, first + count - 1, batch.size()));
        }
        for (int slot = first; slot < first + count; slot++) {
            if (indexInEpoch == order.length) {
                startEpoch(epoch + 1);
            }
            split.copyExample(order[indexInEpoch++], slot, batch.images(), batch.labels());
        }
    }

    private void startEpoch(long newEpoch) {
        if (newEpoch != epoch) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + newEpoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            epoch = newEpoch;
        }
        indexInEpoch = 0;
    }
}
