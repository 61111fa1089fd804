package io.deepmnist.inference;

import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.ModelExporter;
import io.deepmnist.engine.ModelKind;
import io.deepmnist.engine.ModelManifest;
import io.deepmnist.engine.Precision;
import io.deepmnist.engine.TensorFlowInfo;
import io.deepmnist.engine.Trainer;
import io.deepmnist.engine.TrainingListener;
import io.deepmnist.engine.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Models the prediction tests share, trained once per test JVM on the real MNIST: a CNN of 1,000 steps and
 * the tutorial's softmax. Each remembers its in-process probabilities for the first test digits.
 */
public final class TrainedModels {

    public static final int PROBE = 200;

    public record Trained(String id, Path dir, double testAccuracy, float[] probeProbabilities) {
    }

    private static Trained cnn;
    private static Trained softmax;

    private TrainedModels() {
    }

    public static synchronized Trained cnn() {
        if (cnn == null) {
            cnn = train("cnn-test-1000", ModelKind.CNN.defaults().withSteps(1000).withCheckpointEvery(0).withSeed(1));
        }
        return cnn;
    }

    public static synchronized Trained softmax() {
        if (softmax == null) {
            softmax = train("softmax-test-1000", ModelKind.SOFTMAX.defaults().withSeed(1));
        }
        return softmax;
    }

    /** The shared softmax export under another id, its manifest saying it was trained in {@code precision}. */
    public static ModelEntry softmaxEntry(String id, Precision precision) {
        return entry(softmax(), id, precision);
    }

    /** The shared CNN export under another id, its manifest saying it was trained in {@code precision}. */
    public static ModelEntry cnnEntry(String id, Precision precision) {
        return entry(cnn(), id, precision);
    }

    private static ModelEntry entry(Trained trained, String id, Precision precision) {
        ModelManifest m = ModelExporter.readManifest(trained.dir());
        return new ModelEntry(new ModelManifest(id, m.jobId(), m.model(), m.hyperparameters(), precision, m.steps(),
                m.validationAccuracy(), m.testAccuracy(), m.datasetSha256(), m.tensorflowVersion(),
                m.tensorflowJavaVersion(), m.createdAt()), trained.dir());
    }

    /** The first {@link #PROBE} test images, 784 floats each. */
    public static float[] probeImages() {
        float[] images = new float[PROBE * MnistFile.PIXELS];
        RealMnist.get().test().copyRange(0, PROBE, images, new float[PROBE * MnistFile.CLASSES]);
        return images;
    }

    /** A models directory for a test home, linking the shared models in. */
    public static void linkInto(Path home, Trained... models) {
        try {
            Path dir = Files.createDirectories(home.resolve("models"));
            for (Trained model : models) {
                Files.createSymbolicLink(dir.resolve(model.id()), model.dir());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Trained train(String id, Hyperparameters hp) {
        MnistDataset data = RealMnist.get();
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            TrainingResult result = new Trainer(data).train(model, null, TrainingListener.NONE, () -> false);
            float[] probe = model.probabilities(probeImages(), PROBE);
            Path dir = Files.createTempDirectory("trained-models").resolve(id);
            ModelExporter.export(model, dir, new ModelManifest(id, null, hp.model().id(), hp, Precision.FP32, result.step(),
                    result.validationAccuracy(), result.testAccuracy(), Map.of(), TensorFlowInfo.nativeVersion(),
                    TensorFlowInfo.javaVersion(), Instant.now()));
            return new Trained(id, dir, result.testAccuracy(), probe);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
