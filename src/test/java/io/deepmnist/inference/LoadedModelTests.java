package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deepmnist.Load;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.FileTrees;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.ModelManifest;
import io.deepmnist.engine.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SavedModel that cannot serve is refused, and the bundle its load opened is closed again; a retired model
 * gives back its frozen graph and sessions. The memory is measured by {@link NativeMemoryProbe}, in a JVM of its own.
 */
class LoadedModelTests {

    /** What {@link NativeMemoryProbe} printed, run once for both memory tests. */
    private static String probed;

    @TempDir
    Path dir;

    @Test
    void aSavedModelWithoutTheServingSignatureIsRefused() throws IOException {
        Path exported = NativeMemoryProbe.export(dir.resolve("other-signature"), "classify");
        ModelEntry entry = new ModelEntry(new ModelManifest("other-signature", null, "softmax", null, Precision.FP32, 0,
                null, null, Map.of(), null, null, Instant.now()), exported);
        assertThatThrownBy(() -> LoadedModel.load(entry, EngineSettings.defaults())).hasMessageContaining(MnistModel.SERVING_SIGNATURE);
    }

    @Test
    void eachFailedLoadFreesItsWeights() throws Exception {
        // A leaked bundle keeps its 63 MB of weights: 8 leaks would be over 500 MB. Closed bundles give their
        // memory back to the allocator, which reuses it: the probe's JVM grows by under 1 MB.
        assertThat(grownInAJvmOfItsOwn(NativeMemoryProbe.FAILED_LOADS)).as("resident memory grown by %d more failed loads, bytes", NativeMemoryProbe.LOADS - 2)
                .isLessThan(NativeMemoryProbe.WEIGHT_BYTES);
    }

    @Load
    @Test
    void aRetiredModelFreesItsWeights() throws Exception {
        // Leaked, each load would keep the weights at least twice (two bundles; or the frozen graph and its
        // sessions' constants): about 1 GB in 8 loads. Freed, the probe's JVM grows by under 1 MB.
        assertThat(grownInAJvmOfItsOwn(NativeMemoryProbe.RETIRE)).as("resident memory grown by %d more loads and retirements, bytes", NativeMemoryProbe.LOADS - 2)
                .isLessThan(NativeMemoryProbe.WEIGHT_BYTES);
    }

    /** Runs {@link NativeMemoryProbe} once for the class, on this JVM's class path and environment, and reads the growth it printed. */
    private static synchronized long grownInAJvmOfItsOwn(String mode) throws IOException, InterruptedException {
        if (probed == null) {
            probed = probe();
        }
        String line = probed.lines().filter(l -> l.startsWith(NativeMemoryProbe.GROWN + mode + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("the probe printed no growth for " + mode + ": " + probed));
        long bytes = Long.parseLong(line.substring((NativeMemoryProbe.GROWN + mode + " ").length()).trim());
        System.out.printf("native memory grown by %d more loads (%s, own JVM): %d MB%n", NativeMemoryProbe.LOADS - 2, mode, bytes >> 20);
        return bytes;
    }

    private static String probe() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("native-memory-probe");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // A fixed heap, all of it resident from the start: otherwise the heap's own growth and shrinking (the
            // frozen weights pass through byte arrays) moved the measure by up to 380 MB, in either direction.
            Process probe = new ProcessBuilder(List.of(java, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    NativeMemoryProbe.class.getName(),
                    dir.toString())).redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(probe.waitFor(2, TimeUnit.MINUTES)).as("the probe ended: %s", output).isTrue();
            assertThat(probe.exitValue()).as("the probe's exit status: %s", output).isZero();
            return output;
        } finally {
            FileTrees.delete(dir);
        }
    }

}
