package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deepmnist.Load;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.ModelManifest;
import io.deepmnist.engine.Precision;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A SavedModel that cannot serve is refused, and the bundle its load opened is closed again; a retired model
 * gives back its frozen graph and sessions.
 */
class LoadedModelTests {

    /** 784 x 20,000 floats: 63 MB of weights that a leaked bundle keeps in memory (18 leaks grew RSS by 1.1 GB). */
    private static final long WIDTH = 20_000;
    private static final long WEIGHT_BYTES = 784 * WIDTH * Float.BYTES;
    private static final int LOADS = 10;

    @TempDir
    Path dir;

    @Test
    void aSavedModelWithoutTheServingSignatureIsRefusedAndEachFailedLoadFreesItsWeights() throws IOException {
        Path exported = export(dir.resolve("other-signature"), "classify");
        ModelEntry entry = new ModelEntry(new ModelManifest("other-signature", null, "softmax", null, Precision.FP32, 0,
                null, null, Map.of(), null, null, Instant.now()), exported);

        long before = 0;
        for (int i = 0; i < LOADS; i++) {
            assertThatThrownBy(() -> LoadedModel.load(entry, EngineSettings.defaults()))
                    .hasMessageContaining(MnistModel.SERVING_SIGNATURE);
            if (i == 1) {
                before = residentBytes(); // after the allocator has settled on its arenas
            }
        }
        long grown = residentBytes() - before;
        // A leaked bundle keeps its 63 MB of weights: 18 leaks would be over 1.1 GB. Closed bundles give their
        // memory back to the allocator, which reuses it; what is left is noise.
        assertThat(grown).as("resident memory grown by %d more failed loads, bytes", LOADS - 2)
                .isLessThan(4 * WEIGHT_BYTES);
    }

    @Load
    @Test
    void aRetiredModelFreesItsWeights() throws IOException {
        Path exported = export(dir.resolve("wide"), MnistModel.SERVING_SIGNATURE);
        ModelEntry entry = new ModelEntry(new ModelManifest("wide", null, "softmax", null, Precision.FP32, 0,
                null, null, Map.of(), null, null, Instant.now()), exported);

        EngineSettings pooled = EngineSettings.defaults().inCallersThread();
        long before = 0;
        for (int i = 0; i < LOADS; i++) {
            boolean freeze = i % 2 == 0; // the SavedModel's sessions and a frozen graph's in turn
            LoadedModel model = LoadedModel.open(entry, pooled, pooled.singleThreaded(), freeze);
            assertThat(model.hasSingleImageSession()).isTrue();
            assertThat(model.isFrozen()).isEqualTo(freeze);
            model.retire();
            if (i == 1) {
                before = nativeBytes();
            }
        }
        long grown = nativeBytes() - before;
        System.out.printf("native memory grown by %d more loads and retirements: %d MB%n", LOADS - 2, grown >> 20);
        // Leaked, each load would keep the weights at least twice (two bundles; or the frozen graph and its
        // sessions' constants): about 1 GB in 8 loads.
        assertThat(grown).as("resident memory grown by %d more loads and retirements, bytes", LOADS - 2)
                .isLessThan(4 * WEIGHT_BYTES);
    }

    private static Path export(Path target, String signatureKey) throws IOException {
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

    /** Resident memory less the Java heap, which freezing the weights grows (they pass through byte arrays). */
    private static long nativeBytes() throws IOException {
        System.gc();
        return residentBytes() - ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
