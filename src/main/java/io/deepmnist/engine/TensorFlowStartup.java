package io.deepmnist.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Loads TensorFlow once per process, quietly, finds its devices and says in one line what training will use and
 * why. What the native code printed meanwhile is logged through SLF4J: lines every GPU build prints on a machine
 * without CUDA at DEBUG, anything else at its own level. Call {@link #devices()} before any other TensorFlow use.
 */
public final class TensorFlowStartup {

    /** @param all every device; @param training those that get a training worker; @param summary the start-up line */
    public record Devices(List<ComputeDevice> all, List<ComputeDevice> training, String summary) {
    }

    /** TensorFlow's switch for its oneDNN kernels, which the service sets to 1 for itself unless it is set. */
    public static final String ONEDNN_VARIABLE = NativeStderr.ONEDNN_VARIABLE;
    /**
     * A system property: true leaves the oneDNN choice, the intra-op pools and JavaCPP's memory checks at their
     * defaults, as a plain program gets them (bench train's plain loop).
     */
    public static final String TENSORFLOW_DEFAULT_KERNELS = "deepmnist.tensorflow-default-kernels";

    private static final Logger log = LoggerFactory.getLogger(TensorFlowStartup.class);
    private static final Logger nativeLog = LoggerFactory.getLogger("org.tensorflow.native");
    private static final Pattern TSL_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d [\\d:.]+: ([IWEF]) (.*)$");
    private static final Pattern ABSL_LINE = Pattern.compile("^([IWEF])\\d{4} \\S+ +\\d+ \\S+:\\d+\\] (.*)$");
    private static final List<String> ALWAYS_EXPECTED = List.of("Attempting to register factory for plugin",
            "All log messages before absl::InitializeLog()", "MLIR V1 optimization pass is not enabled");
    private static final List<String> NO_DRIVER = List.of("Could not find cuda drivers", "failed call to cuInit");

    private static Devices devices;

    private TensorFlowStartup() {
    }

    public static synchronized Devices devices() {
        if (devices == null) {
            devices = start();
            log.info(devices.summary());
        }
        return devices;
    }

    private static Devices start() {
        NativeStderr.defaultLogLevel();
        if (!Boolean.getBoolean(TENSORFLOW_DEFAULT_KERNELS)) {
            JavaCppDefaults.apply();
            NativeStderr.defaultOneDnn();
            NativeStderr.defaultPerSessionPools();
        }
        List<List<ComputeDevice>> found = new ArrayList<>(1);
        boolean[] oneDnn = new boolean[1];
        RuntimeException[] failure = new RuntimeException[1];
        List<String> lines = NativeStderr.capture(() -> {
            try {
                found.add(DeviceDiscovery.probe());
                oneDnn[0] = firstSessionRun();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        List<ComputeDevice> all = found.isEmpty() ? List.of(ComputeDevice.CPU) : found.get(0);
        List<ComputeDevice> gpus = all.stream().filter(ComputeDevice::isGpu).toList();
        relog(lines, gpus.isEmpty());
        if (failure[0] != null) {
            throw failure[0];
        }
        List<ComputeDevice> training = gpus.isEmpty() ? List.of(ComputeDevice.CPU) : gpus;
        return new Devices(all, training, summary(training, gpus.isEmpty() ? whyNoGpu(lines) : "CUDA", oneDnn[0]));
    }

    /**
     * The first run of any graph prints absl's "MLIR V1 optimization pass is not enabled": let it print here. The
     * run, traced, also tells whether TensorFlow's oneDNN kernels are on: they replace a CPU MatMul by an _Mkl one.
     */
    private static boolean firstSessionRun() {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).build());
            Placeholder<TFloat32> input = tf.withName("warm_up_input").placeholder(TFloat32.class);
            Operand<TFloat32> product = tf.withName("warm_up").linalg.matMul(input, tf.constant(new float[][] {{1f}}));
            RunOptions traced = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build();
            try (TFloat32 one = TFloat32.tensorOf(Shape.of(1, 1));
                 Result result = session.runner().feed(input, one).fetch(product).setOptions(traced).runAndFetchMetadata()) {
                return result.getMetadata().stream().flatMap(metadata -> metadata.getStepStats().getDevStatsList().stream())
                        .flatMap(device -> device.getNodeStatsList().stream())
                        .anyMatch(node -> node.getTimelineLabel().contains("_Mkl"));
            }
        }
    }

    private static String summary(List<ComputeDevice> training, String why, boolean oneDnn) {
        String names = training.stream().map(ComputeDevice::name).collect(Collectors.joining(", "));
        return "TensorFlow %s: %s: training on %s; oneDNN kernels: %s; bfloat16 instructions on this CPU: %s; intra-op pools: %s"
                .formatted(TensorFlowInfo.nativeVersion(), why, names, oneDnn ? "on" : "off",
                        CpuFeatures.current().hasNativeBf16() ? "yes" : "no", NativeStderr.perSessionPools() ? "one per session" : "one for the process");
    }

    private static String whyNoGpu(List<String> lines) {
        if (lines.stream().anyMatch(line -> NO_DRIVER.stream().anyMatch(line::contains))) {
            return "no CUDA driver found";
        }
        if (lines.stream().anyMatch(line -> line.toLowerCase(Locale.ROOT).contains("cuda"))) {
            return "CUDA found no usable GPU";
        }
        return "no GPU found";
    }

    private static void relog(List<String> lines, boolean noGpu) {
        char level = 'W';
        for (String line : lines) {
            Matcher tsl = TSL_LINE.matcher(line);
            Matcher absl = ABSL_LINE.matcher(line);
            if (tsl.matches() || absl.matches()) {
                level = (tsl.matches() ? tsl : absl).group(1).charAt(0);
            }
            boolean expected = ALWAYS_EXPECTED.stream().anyMatch(line::contains)
                    || noGpu && NO_DRIVER.stream().anyMatch(line::contains);
            if (expected || line.isBlank()) {
                nativeLog.debug("{} (expected on this machine)", line);
            } else if (level == 'E' || level == 'F') {
                nativeLog.error(line);
            } else if (level == 'W') {
                nativeLog.warn(line);
            } else {
                nativeLog.info(line);
            }
        }
    }
}
