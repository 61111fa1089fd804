package io.deepmnist.inference;

import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.ModelManifest;
import io.deepmnist.engine.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Loads a wide SavedModel ten times and prints how much the process's resident memory grew over the last eight
 * loads. {@link LoadedModelTests} runs it in a JVM of its own, with a fixed heap that is resident from the start, so
 * that only native memory moves the measure.
 */
final class NativeMemoryProbe {

    /** 784 x 20,000 floats: 63 MB of weights that a leaked bundle keeps in memory (18 leaks grew RSS by 1.1 GB). */
    static final long WIDTH = 20_000;
    static final long WEIGHT_BYTES = 784 * WIDTH * Float.BYTES;
    static final int LOADS = 10;
    static final String GROWN = "grown bytes: ";
    static final String FAILED_LOADS = "failed-loads";
    static final String RETIRE = "retire";

    private NativeMemoryProbe() {
    }

    /** Prints {@code GROWN failed-loads N} (loads refused for their signature), then {@code GROWN retire N} (loads served, then retired). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (String mode : new String[] {FAILED_LOADS, RETIRE}) {
            System.out.println(GROWN + mode + " " + grown(dir, mode));
        }
    }

    private static long grown(Path dir, String mode) throws IOException {
        boolean failedLoads = mode.equals(FAILED_LOADS);
        Path exported = export(dir.resolve(mode), failedLoads ? "classify" : MnistModel.SERVING_SIGNATURE);
        ModelEntry entry = new ModelEntry(new ModelManifest(mode, null, "softmax", null, Precision.FP32, 0,
                null, null, Map.of(), null, null, Instant.now()), exported);
        EngineSettings pooled = EngineSettings.defaults().inCallersThread();
        long before = 0;
        for (int i = 0; i < LOADS; i++) {
            if (failedLoads) {
                String refusal = null;
                try {
                    LoadedModel.load(entry, EngineSettings.defaults()).retire();
                } catch (RuntimeException refused) {
                    refusal = String.valueOf(refused.getMessage());
                }
                if (refusal == null || !refusal.contains(MnistModel.SERVING_SIGNATURE)) {
                    throw new IllegalStateException("a SavedModel without the serving signature was not refused for it: " + refusal);
                }
            } else {
                boolean freeze = i % 2 == 0; // the SavedModel's sessions and a frozen graph's in turn
                LoadedModel model = LoadedModel.open(entry, pooled, pooled.singleThreaded(), freeze);
                if (!model.hasSingleImageSession() || model.isFrozen() != freeze) {
                    throw new IllegalStateException("the model did not open as asked (frozen: " + freeze + ")");
                }
                model.retire();
            }
            if (i == 1) {
                before = residentBytes(); // after the allocator has settled on its arenas
            }
        }
        return residentBytes() - before;
    }

    static Path export(Path target, String signatureKey) throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            var images = tf.withName(MnistModel.IMAGES).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 784)));
            var weights = tf.withName("weights").variable(tf.fill(tf.constant(new long[] {784, WIDTH}), tf.constant(0.5f)));
            var scores = tf.withName("scores").linalg.matMul(images, weights);
            try (Session session = new Session(graph)) {
                session.initialize();
                Signature signature = Signature.builder().key(signatureKey).input("images", images).output("scores", scores).build();
                SavedModelBundle.exporter(target.toString()).withTags(MnistModel.SERVING_TAG).withSession(session)
                        .withSignature(signature).export();
            }
        }
        return target;
    }

    /** The process's resident memory; the heap's share is fixed, since the JVM runs with a pre-touched heap of fixed size. */
    private static long residentBytes() throws IOException {
        System.gc();
        long resident = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                resident = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return resident;
    }
}
