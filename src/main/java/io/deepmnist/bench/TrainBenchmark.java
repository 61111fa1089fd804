package io.deepmnist.bench;

import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.CpuFeatures;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.ModelKind;
import io.deepmnist.engine.Precision;
import io.deepmnist.engine.Progress;
import io.deepmnist.engine.Trainer;
import io.deepmnist.engine.TrainingListener;
import io.deepmnist.engine.TrainingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code bench train}: the tutorial's CNN for a fixed number of steps as the plain TensorFlow loop (the engine in
 * FP32 in a JVM of its own, with TensorFlow's own kernels: {@link PlainTensorFlowRun}), through the engine alone
 * in this process (FP32, bf16) and as jobs of the running service (fp32, bf16, auto), the six runs interleaved,
 * {@code rounds} times. A run's rate is the median over windows of {@link #WINDOW} steps, warm-up excluded; each
 * figure is the median of its runs' rates, beside the test accuracy the runs reached.
 */
final class TrainBenchmark {

    static final int WINDOW = 50;
    /** The plain TensorFlow loop: the engine in fp32 in a JVM of its own, with TensorFlow's own choice of kernels. */
    static final String PLAIN = "plain TF fp32";
    /** With a bucket: jobs that checkpoint every this many steps, to a directory and to the bucket. */
    static final int CHECKPOINT_EVERY = 100;
    static final String DIRECTORY = "ckpt to dir";
    static final String BUCKET = "ckpt to s3";

    private final Function<String[], ConfigurableApplicationContext> service;
    private final int steps;
    private final int warmup;
    private final int rounds;
    private final String artifacts;
    private final String endpoint;

    TrainBenchmark(int steps, int warmup, int rounds, Function<String[], ConfigurableApplicationContext> service) {
        this(steps, warmup, rounds, null, null, service);
    }

    /**
     * @param artifacts an {@code s3://} location: each round also trains jobs that checkpoint to it, beside jobs that
     *                  checkpoint to a directory, so that the report gives the uploads' cost
     */
    TrainBenchmark(int steps, int warmup, int rounds, String artifacts, String endpoint,
                   Function<String[], ConfigurableApplicationContext> service) {
        this.artifacts = artifacts;
        this.endpoint = endpoint;
        this.service = service;
        this.steps = steps;
        this.warmup = warmup;
        this.rounds = Math.max(1, rounds);
    }

    /** One run: its median rate in images/s, and the test accuracy it reached. */
    record Run(double imagesPerSecond, double testAccuracy) {
    }

    int run() throws Exception {
        BenchHome home = new BenchHome(service);
        try {
            MnistDataset data = home.dataset();
            Hyperparameters hp = hyperparameters();
            Map<String, List<Run>> runs = new LinkedHashMap<>();
            BucketService bucket = artifacts == null ? null : BucketService.start(service, artifacts, endpoint);
            try (ConfigurableApplicationContext app = home.startService()) {
                String base = BenchHome.baseUrl(app);
                for (int round = 1; round <= rounds; round++) {
                    System.out.printf(Locale.ROOT, "round %d of %d%n", round, rounds);
                    measure(runs, PLAIN, () -> PlainTensorFlowRun.measure(steps, warmup));
                    measure(runs, "engine fp32", () -> trainInEngine(data, hp, Precision.FP32));
                    measure(runs, "engine bf16", () -> trainInEngine(data, hp, Precision.BF16));
                    measure(runs, "service fp32", () -> ServiceTraining.run(base, hp, Precision.FP32, 0, warmup + WINDOW));
                    measure(runs, "service bf16", () -> ServiceTraining.run(base, hp, Precision.BF16, 0, warmup + WINDOW));
                    measure(runs, "service auto", () -> ServiceTraining.run(base, hp, Precision.AUTO, 0, warmup + WINDOW));
                    if (bucket != null) {
                        measure(runs, DIRECTORY, () -> ServiceTraining.run(base, hp, Precision.AUTO, CHECKPOINT_EVERY, warmup + WINDOW));
                        measure(runs, BUCKET, () -> ServiceTraining.run(bucket.base(), hp, Precision.AUTO, CHECKPOINT_EVERY,
                                warmup + WINDOW));
                    }
                }
            } finally {
                if (bucket != null) {
                    bucket.close();
                }
            }
            return report(hp, runs);
        } finally {
            home.delete();
        }
    }

    private Hyperparameters hyperparameters() {
        return ModelKind.CNN.defaults().withSteps(warmup + steps).withLogEvery(WINDOW).withCheckpointEvery(0).withSeed(1);
    }

    /** The engine in fp32, on the dataset of MNIST_HOME: what {@link PlainTensorFlowRun} runs in its own JVM. */
    Run plainEngine() {
        return trainInEngine(BenchHome.sharedDataset(), hyperparameters(), Precision.FP32);
    }

    private interface Measurement {
        Run run() throws Exception;
    }

    private static void measure(Map<String, List<Run>> runs, String name, Measurement measurement) throws Exception {
        Run run = measurement.run();
        System.out.printf(Locale.ROOT, "  %-13s %7.0f images/s, test accuracy %.4f%n", name, run.imagesPerSecond(), run.testAccuracy());
        runs.computeIfAbsent(name, n -> new ArrayList<>()).add(run);
    }

    private Run trainInEngine(MnistDataset data, Hyperparameters hp, Precision precision) {
        List<Double> windows = new ArrayList<>();
        EngineSettings settings = EngineSettings.defaults()
                .withPrecision(precision.resolve(ComputeDevice.CPU).precision());
        try (MnistModel model = MnistModel.create(hp, settings)) {
            TrainingResult result = new Trainer(data).train(model, null, new TrainingListener() {
                @Override
                public void onProgress(Progress p) {
                    if (p.step() >= warmup + WINDOW) {
                        windows.add(p.examplesPerSecond());
                    }
                }
            }, () -> false);
            return new Run(Stats.median(windows), result.testAccuracy());
        }
    }

    private int report(Hyperparameters hp, Map<String, List<Run>> runs) {
        double fp32Engine = medianRate(runs.get("engine fp32"));
        double plain = medianRate(runs.get(PLAIN));
        CpuFeatures cpu = CpuFeatures.current();
        System.out.printf(Locale.ROOT, "CNN training, batch %d, %d steps after %d warm-up, %d interleaved rounds; "
                + "CPU bf16 in hardware: %s%n", hp.batchSize(), steps, warmup, rounds, cpu.hasNativeBf16() ? "yes" : "no");
        System.out.printf(Locale.ROOT, "  %-13s %8s %9s %9s %9s %s%n", "", "steps/s", "images/s", "vs fp32", "vs plain", "test accuracy");
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, Object> results = new LinkedHashMap<>();
        boolean complete = true;
        for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
            double rate = medianRate(e.getValue());
            double accuracy = Stats.median(e.getValue().stream().map(Run::testAccuracy).toList());
            complete &= rate > 0 && !Double.isNaN(accuracy);
            System.out.printf(Locale.ROOT, "  %-13s %8.1f %9.0f %8.3fx %8.3fx %.4f%n", e.getKey(), rate / hp.batchSize(), rate,
                    rate / fp32Engine, rate / plain, accuracy);
            figures.put(e.getKey(), Map.of("stepsPerSecond", Stats.round(rate / hp.batchSize(), 2),
                    "ratioToEngineFp32", Stats.round(rate / fp32Engine, 3), "ratioToPlainTensorFlow", Stats.round(rate / plain, 3),
                    "testAccuracy", Stats.round(accuracy, 4),
                    "runsImagesPerSecond", e.getValue().stream().map(r -> Stats.round(r.imagesPerSecond(), 1)).toList()));
        }
        if (runs.containsKey(BUCKET)) {
            double cost = medianRate(runs.get(BUCKET)) / medianRate(runs.get(DIRECTORY));
            System.out.printf(Locale.ROOT, "  checkpoints every %d steps to %s: %.3fx the steps/s of checkpoints to a directory%n",
                    CHECKPOINT_EVERY, artifacts, cost);
            results.put("bucketToDirectoryStepsRatio", Stats.round(cost, 3));
        }
        long peakRss = Stats.peakRssBytes();
        System.out.printf(Locale.ROOT, "  peak RSS %.0f MB%n", peakRss / 1e6);
        results.put("benchmark", "train");
        results.put("model", "cnn");
        results.put("batchSize", hp.batchSize());
        results.put("steps", steps);
        results.put("warmupSteps", warmup);
        results.put("windowSteps", WINDOW);
        results.put("rounds", rounds);
        results.put("cpuNativeBf16", cpu.hasNativeBf16());
        results.put("runs", figures);
        results.put("peakRssBytes", peakRss);
        results.put("cores", Runtime.getRuntime().availableProcessors());
        BenchHome.writeResults("train.json", results);
        return complete ? 0 : 1;
    }

    private static double medianRate(List<Run> runs) {
        return Stats.median(runs.stream().map(Run::imagesPerSecond).toList());
    }
}
