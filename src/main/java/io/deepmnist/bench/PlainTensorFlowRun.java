package io.deepmnist.bench;

import io.deepmnist.engine.TensorFlowStartup;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain TensorFlow loop a user would write instead of the service: the engine in fp32 with TensorFlow's own
 * choice of kernels. The service turns oneDNN's kernels on for its process and TensorFlow reads that choice once
 * per process, so this runs in a JVM of its own: the same program as {@code bench plain-engine}.
 */
final class PlainTensorFlowRun {

    static final String COMMAND = "plain-engine";
    private static final String RESULT = "plain-engine result: ";

    private PlainTensorFlowRun() {
    }

    /** Starts the child JVM, waits for it, and returns its run. */
    static TrainBenchmark.Run measure(int steps, int warmup) throws IOException, InterruptedException {
        List<String> command = ChildJvm.command(List.of("-D" + TensorFlowStartup.TENSORFLOW_DEFAULT_KERNELS + "=true"),
                COMMAND, "--steps=" + steps, "--warmup=" + warmup);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(TensorFlowStartup.ONEDNN_VARIABLE);
        Process process = builder.start();
        String result = null;
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = process.inputReader()) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length());
                } else {
                    output.add(line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the plain TensorFlow run exited with " + exit + ":\n"
                    + String.join("\n", output.subList(Math.max(0, output.size() - 20), output.size())));
        }
        String[] figures = result.split(" ");
        return new TrainBenchmark.Run(Double.parseDouble(figures[0]), Double.parseDouble(figures[1]));
    }

    /** In the child: one run of the engine in fp32, printed for the parent. */
    static int run(TrainBenchmark benchmark) {
        TrainBenchmark.Run run = benchmark.plainEngine();
        System.out.printf(Locale.ROOT, "%s%f %f%n", RESULT, run.imagesPerSecond(), run.testAccuracy());
        return 0;
    }
}
