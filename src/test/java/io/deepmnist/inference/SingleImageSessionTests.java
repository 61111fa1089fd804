package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deepmnist.TrainsCnn;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.ModelExporter;
import io.deepmnist.engine.Precision;
import io.deepmnist.engine.TensorFlowStartup;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Lone images run in a second session of the model with one intra-op thread; they must get the answers the
 * pooled session gives the same images in a batch.
 */
@TrainsCnn
class SingleImageSessionTests {

    private static final int IMAGES = 20;

    @Test
    void aLoneImageGetsTheProbabilitiesTheBatchSessionGivesIt() {
        TensorFlowStartup.devices();
        TrainedModels.Trained cnn = TrainedModels.cnn();
        ModelEntry entry = new ModelEntry(ModelExporter.readManifest(cnn.dir()), cnn.dir());
        LoadedModel model = LoadedModel.load(entry, EngineSettings.defaults(), null, true);
        try {
            assertThat(model.hasSingleImageSession()).isTrue();
            float[] images = Arrays.copyOf(TrainedModels.probeImages(), IMAGES * MnistFile.PIXELS);
            float[] batch = model.probabilities(images, IMAGES);
            for (int i = 0; i < IMAGES; i++) {
                float[] lone = model.probabilities(Arrays.copyOfRange(images, i * MnistFile.PIXELS, (i + 1) * MnistFile.PIXELS), 1);
                float[] row = Arrays.copyOfRange(batch, i * MnistFile.CLASSES, (i + 1) * MnistFile.CLASSES);
                for (int c = 0; c < MnistFile.CLASSES; c++) {
                    assertThat(lone[c]).as("image %d, class %d", i, c).isCloseTo(row[c], within(1e-4f));
                }
            }
        } finally {
            model.retire();
        }
    }

    @Test
    void noSecondSessionWhenTurnedOffOrWhenTheModelHasOneThreadAlready() {
        ModelEntry entry = TrainedModels.softmaxEntry("softmax-single", Precision.FP32);
        LoadedModel off = LoadedModel.load(entry, EngineSettings.defaults(), null, false);
        LoadedModel oneThread = LoadedModel.load(entry, new EngineSettings(1, 1), null, true);
        try {
            assertThat(off.hasSingleImageSession()).isFalse();
            assertThat(oneThread.hasSingleImageSession()).isFalse();
            assertThat(off.probabilities(new float[MnistFile.PIXELS], 1)).hasSize(MnistFile.CLASSES);
            assertThat(oneThread.probabilities(new float[MnistFile.PIXELS], 1)).hasSize(MnistFile.CLASSES);
        } finally {
            off.retire();
            oneThread.retire();
        }
    }
}
