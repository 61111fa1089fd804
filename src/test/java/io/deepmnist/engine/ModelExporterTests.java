package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deepmnist.dataset.Batch;
import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

class ModelExporterTests {

    @TempDir
    Path tmp;

    private final MnistDataset data = RealMnist.get();

    @Test
    void aSavedModelLoadedBackAnswersExactlyAsTheExportingSession() {
        Hyperparameters hp = ModelKind.CNN.defaults().withSteps(20).withSeed(8);
        float[] images = CheckpointTests.probe(data.test());
        float[] expected;
        Path dir = tmp.resolve("models").resolve("m1");
        ModelManifest manifest = new ModelManifest("m1", "job-1", "cnn", hp, Precision.FP32, 20,
                0.5, 0.6, Map.of("t10k-images-idx3-ubyte", MnistFile.TEST_IMAGES.sha256()),
                TensorFlowInfo.nativeVersion(), TensorFlowInfo.javaVersion(), Instant.parse("2026-01-02T03:04:05Z"));
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            new Trainer(data).train(model, null, TrainingListener.NONE, () -> false);
            expected = model.probabilities(images, CheckpointTests.PROBE_COUNT);
            ModelExporter.export(model, dir, manifest);
        }

        assertThat(ModelExporter.readManifest(dir)).isEqualTo(manifest);
        assertThat(dir.resolveSibling(".tmp-m1")).doesNotExist();
        assertThat(Files.exists(dir.resolve("saved_model.pb"))).isTrue();
        try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), MnistModel.SERVING_TAG);
             TFloat32 input = TFloat32.tensorOf(Shape.of(CheckpointTests.PROBE_COUNT, MnistFile.PIXELS), DataBuffers.of(images, true, false));
             Result result = bundle.function(MnistModel.SERVING_SIGNATURE).call(Map.of(MnistModel.IMAGES, input))) {
            TFloat32 probabilities = (TFloat32) result.get(MnistModel.PROBABILITIES).orElseThrow();
            assertThat(probabilities.shape()).isEqualTo(Shape.of(CheckpointTests.PROBE_COUNT, 10));
            float[] actual = new float[expected.length];
            probabilities.copyTo(DataBuffers.of(actual, false, false));
            assertThat(actual).isEqualTo(expected);
        }

        // A fine-tune starts from these variables: the weights and the optimizer's slots, under the training graph's names.
        try (MnistModel fineTune = MnistModel.create(hp.withSeed(9), EngineSettings.defaults())) {
            fineTune.restore(dir.resolve("variables").resolve("variables"));
            assertThat(fineTune.probabilities(images, CheckpointTests.PROBE_COUNT)).isEqualTo(expected);
            Batch batch = new Batch(hp.batchSize());
            data.train().batcher(1).next(batch);
            fineTune.trainStep(batch);
            assertThat(fineTune.probabilities(images, CheckpointTests.PROBE_COUNT)).isNotEqualTo(expected);
        }
    }

    @Test
    void aFailedExportLeavesNoStagingDirectoryBehind() throws Exception {
        Hyperparameters hp = ModelKind.SOFTMAX.defaults().withSteps(1).withSeed(8);
        Path dir = tmp.resolve("models").resolve("m2");
        Files.createDirectories(dir.resolve("taken")); // the move onto a non-empty directory fails
        ModelManifest manifest = new ModelManifest("m2", "job-2", "softmax", hp, Precision.FP32, 1, null, null, Map.of(),
                TensorFlowInfo.nativeVersion(), TensorFlowInfo.javaVersion(), Instant.parse("2026-01-02T03:04:05Z"));
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            assertThatThrownBy(() -> ModelExporter.export(model, dir, manifest))
                    .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("cannot export the model to");
        }
        assertThat(dir.resolveSibling(".tmp-m2")).doesNotExist();
    }
}
