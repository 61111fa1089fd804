package io.deepmnist.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.JarProcess;
import io.deepmnist.TestHome;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a user sees when the packaged jar starts on a machine without CUDA (this one), with the default GPU build
 * of TensorFlow: one line naming the training device and why, and no error-level line from TensorFlow, through
 * start-up, a training job and a prediction. TensorFlow's oneDNN kernels and per-session intra-op pools are on, as the
 * service sets for itself.
 */
class StartupLogIntegrationTests {

    /** TensorFlow's two C++ log formats at error or fatal level: tsl's and absl's. */
    private static final Pattern NATIVE_ERROR = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d [\\d:.]+: [EF] |[EF]\\d{4} \\S+ +\\d+ \\S+:\\d+\\] ).*");

    @Test
    void startsWithOneDeviceLineAndNoTensorFlowErrors() throws Exception {
        try (JarProcess service = JarProcess.start(TestHome.create(), "startup.log")) {
            String id = service.api().submit("{\"model\":\"softmax\",\"steps\":50}").get("id").asString();
            service.api().awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(90));
            assertThat(service.api().post("/predict", "{\"pixels\":[" + "0,".repeat(783) + "0]}").status()).isEqualTo(200);

            List<String> lines = service.output().lines().toList();

            assertThat(lines).filteredOn(line -> NATIVE_ERROR.matcher(line).matches()).as("TensorFlow error lines").isEmpty();
            assertThat(lines).filteredOn(line -> line.contains("failed call to cuInit") || line.contains("Unable to register"))
                    .isEmpty();
            assertThat(lines).filteredOn(line -> line.contains("TensorFlowStartup")).singleElement().asString()
                    .matches(".*TensorFlow 2\\.\\d+\\.\\d+: (no CUDA driver found|no GPU found|CUDA found no usable GPU): "
                            + "training on /device:CPU:0; oneDNN kernels: " + expectedOneDnn() + "; bfloat16 instructions on this CPU: (yes|no)"
                            + "; intra-op pools: " + expectedPools() + "$");
        }
    }

    /** The service gives each TensorFlow session its own intra-op pool unless the environment says otherwise. */
    private static String expectedPools() {
        String set = System.getenv("TF_OVERRIDE_GLOBAL_THREADPOOL");
        return set == null || set.equals("1") || set.equalsIgnoreCase("true") ? "one per session" : "one for the process";
    }

    /** The service turns TensorFlow's oneDNN kernels on unless the environment says otherwise. */
    private static String expectedOneDnn() {
        String set = System.getenv("TF_ENABLE_ONEDNN_OPTS");
        return set == null || set.equals("1") || set.equalsIgnoreCase("true") ? "on" : "off";
    }
}
