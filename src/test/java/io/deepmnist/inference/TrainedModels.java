package io.deepmnist.inference;

import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.FileTrees;
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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Models the prediction tests share, trained on the real MNIST: a CNN of 1,000 steps and the tutorial's softmax.
 * Each remembers its in-process probabilities for the first test digits. They are kept under
 * {@code target/trained-models}, keyed by everything that would change them (the hyperparameters, the TensorFlow
 * version and the engine's classes), so one build trains each once for both of Surefire's test JVMs,
 * and an edit loop that leaves the engine alone trains nothing.
 */
public final class TrainedModels {

    public static final int PROBE = 200;
    private static final Hyperparameters CNN = ModelKind.CNN.defaults().withSteps(1000).withCheckpointEvery(0).withSeed(1);
    private static final Path CACHE = Path.of(System.getProperty("deepmnist.trained-models", "target/trained-models"));
    private static final String PROBE_FILE = "probe-probabilities.f32";

    public record Trained(String id, Path dir, double testAccuracy, float[] probeProbabilities) {
    }

    private static Trained cnn;
    private static Trained softmax;
    private static Trained cnnBf16;

    private TrainedModels() {
    }

    public static synchronized Trained cnn() {
        if (cnn == null) {
            cnn = train("cnn-test-1000", CNN, Precision.FP32);
        }
        return cnn;
    }

    public static synchronized Trained softmax() {
        if (softmax == null) {
            softmax = train("softmax-test-1000", ModelKind.SOFTMAX.defaults().withSeed(1), Precision.FP32);
        }
        return softmax;
    }

    /**
     * A CNN trained in {@code precision}: the shared fp32 one itself for {@link Precision#FP32} (so where a CPU
     * resolves bf16 to fp32, nothing is trained twice), else the same hyperparameters in bf16 for 600 steps, which
     * is enough to compare precisions. Its probe probabilities come from its training session, in that precision.
     */
    public static synchronized Trained cnnIn(Precision precision) {
        if (precision == Precision.FP32) {
            return cnn();
        }
        if (cnnBf16 == null) {
            cnnBf16 = train("cnn-test-600-bf16", CNN.withSteps(600), precision);
        }
        return cnnBf16;
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

    private static Trained train(String id, Hyperparameters hp, Precision precision) {
        Path dir = CACHE.resolve(id + "-" + key(hp, precision));
        try {
            // One JVM trains, a second one (a parallel fork) waits for it and then reads what it wrote.
            Files.createDirectories(CACHE);
            try (FileChannel lock = FileChannel.open(CACHE.resolve(dir.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = lock.lock()) {
                if (!Files.isRegularFile(dir.resolve(PROBE_FILE))) {
                    trainInto(id, hp, precision, dir);
                }
            }
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(PROBE_FILE))).order(ByteOrder.LITTLE_ENDIAN);
            float[] probe = new float[PROBE * MnistFile.CLASSES];
            bytes.asFloatBuffer().get(probe);
            return new Trained(id, dir, ModelExporter.readManifest(dir).testAccuracy(), probe);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trains and exports into a staging directory, then renames it: a killed build leaves no half-written model. */
    private static void trainInto(String id, Hyperparameters hp, Precision precision, Path dir) {
        MnistDataset data = RealMnist.get();
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults().withPrecision(precision))) {
            TrainingResult result = new Trainer(data).train(model, null, TrainingListener.NONE, () -> false);
            float[] probe = model.probabilities(probeImages(), PROBE);
            Path staging = Files.createDirectories(CACHE).resolve(dir.getFileName() + ".staging-" + ProcessHandle.current().pid());
            FileTrees.delete(staging);
            ModelExporter.export(model, staging, new ModelManifest(id, null, hp.model().id(), hp, precision, result.step(),
                    result.validationAccuracy(), result.testAccuracy(), Map.of(), TensorFlowInfo.nativeVersion(),
                    TensorFlowInfo.javaVersion(), Instant.now()));
            ByteBuffer bytes = ByteBuffer.allocate(probe.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(probe);
            Files.write(staging.resolve(PROBE_FILE), bytes.array());
            FileTrees.delete(dir);
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A digest of what the trained weights depend on; the dataset is pinned by its checksums, so it is left out. */
    private static String key(Hyperparameters hp, Precision precision) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((hp + "|" + precision + "|" + TensorFlowInfo.nativeVersion() + "|" + TensorFlowInfo.javaVersion()).getBytes(StandardCharsets.UTF_8));
            for (Class<?> engine : List.of(MnistModel.class, Trainer.class, ModelExporter.class, Hyperparameters.class)) {
                try (InputStream in = engine.getResourceAsStream(engine.getSimpleName() + ".class")) {
                    sha.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
