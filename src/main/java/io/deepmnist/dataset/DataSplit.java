package io.deepmnist.dataset;

/**
 * One read-only part of MNIST: images as floats in [0,1] (row-major, 784 per image), one-hot labels
 * (10 per image) and the digits themselves.
 */
public final class DataSplit {

    /**
     * Images per block of floats. As one array, the 55,000 training images are 172 MB, and the JVM zeroed that
     * freshly committed memory for 0.4-0.6 s in which no safepoint could be reached: every other thread, the health
     * probes' included, waited. A block of 1,024 images is 3.2 MB.
     */
    static final int BLOCK = 1024;

    private final String name;
    private final int size;
    private final float[][] images;
    private final float[] oneHotLabels;
    private final byte[] digits;

    DataSplit(String name, byte[] pixels, int pixelOffset, byte[] labels, int labelOffset, int first, int size) {
        this.name = name;
        this.size = size;
        this.images = new float[(size + BLOCK - 1) / BLOCK][];
        this.oneHotLabels = new float[size * MnistFile.CLASSES];
        this.digits = new byte[size];
        for (int b = 0; b < images.length; b++) {
            float[] block = new float[Math.min(BLOCK, size - b * BLOCK) * MnistFile.PIXELS];
            int src = pixelOffset + (first + b * BLOCK) * MnistFile.PIXELS;
            for (int i = 0; i < block.length; i++) {
                block[i] = (pixels[src + i] & 0xff) * (1.0f / 255.0f);
            }
            images[b] = block;
        }
        for (int i = 0; i < size; i++) {
            digits[i] = labels[labelOffset + first + i];
            oneHotLabels[i * MnistFile.CLASSES + digits[i]] = 1.0f;
        }
    }

    /**
     * A split of examples from elsewhere, such as images users labelled: {@code pixels} holds 784 bytes (0-255) per
     * example, {@code digits} one label (0-9) per example.
     */
    public static DataSplit of(String name, byte[] pixels, byte[] digits) {
        if (pixels.length != digits.length * MnistFile.PIXELS) {
            throw new IllegalArgumentException("%d labels need %d pixel bytes, got %d"
                    .formatted(digits.length, digits.length * MnistFile.PIXELS, pixels.length));
        }
        for (byte digit : digits) {
            if (digit < 0 || digit >= MnistFile.CLASSES) {
                throw new IllegalArgumentException("a label must be a digit 0-9, got " + digit);
            }
        }
        return new DataSplit(name, pixels, 0, digits, 0, 0, digits.length);
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    public int digit(int index) {
        return digits[index];
    }

    /** Copies {@code count} consecutive examples starting at {@code first} into the given buffers. */
    public void copyRange(int first, int count, float[] imagesOut, float[] labelsOut) {
        for (int done = 0; done < count; ) {
            int index = first + done;
            int within = index % BLOCK;
            int run = Math.min(count - done, BLOCK - within);
            System.arraycopy(images[index / BLOCK], within * MnistFile.PIXELS, imagesOut, done * MnistFile.PIXELS,
                    run * MnistFile.PIXELS);
            done += run;
        }
        System.arraycopy(oneHotLabels, first * MnistFile.CLASSES, labelsOut, 0, count * MnistFile.CLASSES);
    }

    /** Copies example {@code index} into slot {@code slot} of the given buffers. */
    public void copyExample(int index, int slot, float[] imagesOut, float[] labelsOut) {
        System.arraycopy(images[index / BLOCK], index % BLOCK * MnistFile.PIXELS, imagesOut, slot * MnistFile.PIXELS,
                MnistFile.PIXELS);
        System.arraycopy(oneHotLabels, index * MnistFile.CLASSES, labelsOut, slot * MnistFile.CLASSES, MnistFile.CLASSES);
    }

    /** A {@code read_data_sets}-style batcher over this split, shuffled from {@code seed}. */
    public Batcher batcher(long seed) {
        return new Batcher(this, seed);
    }
}
