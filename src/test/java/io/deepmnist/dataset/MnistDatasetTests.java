package io.deepmnist.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The real MNIST, split as read_data_sets splits it. */
class MnistDatasetTests {

    // From the dataset's reference (label counts of the 60,000 training and 10,000 test images).
    private static final int[] TRAIN_FILE_COUNTS = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    private static final int[] TEST_COUNTS = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    private final MnistDataset data = RealMnist.get();

    @Test
    void splitSizesAreTheTutorials() {
        assertThat(data.train().size()).isEqualTo(55_000);
        assertThat(data.validation().size()).isEqualTo(5_000);
        assertThat(data.test().size()).isEqualTo(10_000);
    }

    @Test
    void labelCountsMatchTheReference() {
        int[] trainFile = new int[10];
        count(data.train(), trainFile);
        count(data.validation(), trainFile);
        int[] test = new int[10];
        count(data.test(), test);
        assertThat(trainFile).containsExactly(TRAIN_FILE_COUNTS);
        assertThat(test).containsExactly(TEST_COUNTS);
    }

    @Test
    void pixelsAreScaledToTheUnitIntervalAndLabelsAreOneHot() {
        DataSplit test = data.test();
        float[] images = new float[test.size() * MnistFile.PIXELS];
        float[] labels = new float[test.size() * MnistFile.CLASSES];
        test.copyRange(0, test.size(), images, labels);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float p : images) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
        for (int i = 0; i < test.size(); i++) {
            float sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += labels[i * 10 + c];
            }
            assertThat(sum).isEqualTo(1f);
            assertThat(labels[i * 10 + test.digit(i)]).isEqualTo(1f);
        }
    }

    @Test
    void checksumsAreRecordedForManifests() {
        assertThat(data.sha256()).containsEntry(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_IMAGES.sha256()).hasSize(4);
    }

    private static void count(DataSplit split, int[] counts) {
        for (int i = 0; i < split.size(); i++) {
            counts[split.digit(i)]++;
        }
    }

    /** Images are kept in blocks (no 172 MB array); a range across a block's end reads as the file has it. */
    @Test
    void rangesAcrossBlocksAreTheFilesPixels() {
        DataSplit train = data.train();
        int first = DataSplit.BLOCK * 3 - 37;
        int count = 100;
        float[] range = new float[count * MnistFile.PIXELS];
        train.copyRange(first, count, range, new float[count * MnistFile.CLASSES]);
        byte[] file = IdxReader.readDecompressed(MnistFile.TRAIN_IMAGES.locateIn(RealMnist.directory()).orElseThrow());
        int header = 16;
        int validation = data.validation().size(); // the training split starts after the validation images
        float[] one = new float[MnistFile.PIXELS];
        for (int i = 0; i < count; i++) {
            train.copyExample(first + i, 0, one, new float[MnistFile.CLASSES]);
            for (int p = 0; p < MnistFile.PIXELS; p++) {
                float expected = (file[header + (validation + first + i) * MnistFile.PIXELS + p] & 0xff) / 255.0f;
                assertThat(range[i * MnistFile.PIXELS + p]).isEqualTo(expected, org.assertj.core.data.Offset.offset(1e-6f));
                assertThat(one[p]).isEqualTo(range[i * MnistFile.PIXELS + p]);
            }
        }
    }
}
