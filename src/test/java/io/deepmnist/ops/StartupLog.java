package io.deepmnist.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a user sees when the packaged jar starts on a machine without CUDA (this one), with the default GPU build
 * of TensorFlow: one line naming the training device and why, and no error-level line from TensorFlow, through
 * start-up, a training job and a prediction. TensorFlow's oneDNN kernels and per-session intra-op pools are on, as the
 * service sets for itself. {@code KillRecoveryIntegrationTests} checks the log of its last start with it, which
 * resumed a job, trained it to its end and answered a prediction: one jar start fewer for the suite.
 */
public final class StartupLog {

    /** TensorFlow's two C++ log formats at error or fatal level: tsl's and absl's. */
    private static final Pattern NATIVE_ERROR = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d [\\d:.]+: [EF] |[EF]\\d{4} \\S+ +\\d+ \\S+:\\d+\\] ).*");

    private StartupLog() {
    }

    public static void assertClean(List<String> lines) {
        assertThat(lines).filteredOn(line -> NATIVE_ERROR.matcher(line).matches()).as("TensorFlow error lines").isEmpty();
        assertThat(lines).filteredOn(line -> line.contains("failed call to cuInit") || line.contains("Unable to register"))
                .isEmpty();
        assertThat(lines).filteredOn(line -> line.contains("TensorFlowStartup")).singleElement().asString()
                .matches(".*TensorFlow 2\\.\\d+\\.\\d+: (no CUDA driver found|no GPU found|CUDA found no usable GPU): "
                        + "training on /device:CPU:0; oneDNN kernels: " + expectedOneDnn() + "; bfloat16 instructions on this CPU: (yes|no)"
                        + "; intra-op pools: " + expectedPools() + "$");
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
