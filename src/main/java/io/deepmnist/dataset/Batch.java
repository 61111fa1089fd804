package io.deepmnist.dataset;

/** Reusable buffers for one batch, filled in place so the training loop allocates nothing per step. */
public final class Batch {

    private final int size;
    private final float[] images;
    private final float[] labels;

    public Batch(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + size);
        }
        this.size = size;
        this.images = new float[size * MnistFile.PIXELS];
        this.labels = new float[size * MnistFile.CLASSES];
    }

    public int size() {
        return size;
    }

    /** {@code size x 784} pixels in [0,1]. */
    public float[] images() {
        return images;
    }

    /** {@code size x 10} one-hot labels. */
    public float[] labels() {
        return labels;
    }
}
