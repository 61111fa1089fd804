package io.deepmnist.bench;

import io.deepmnist.engine.TensorFlowStartup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code bench train}, {@code bench predict}, {@code bench predict-compare}, {@code bench promote},
 * {@code bench soak} and {@code bench flood} (options in {@link #USAGE}):
 * benchmarks anyone can rerun; each prints its figures and writes them as JSON under {@code target/bench/}.
 */
public final class BenchCommand {

    public static final String NAME = "bench";
    static final String USAGE = "usage: java -jar deep-mnist-service.jar bench train [--steps=600] [--warmup=50] [--rounds=3]\n"
            + "                    [--artifacts=s3://BUCKET/PREFIX [--s3-endpoint=URL]]   (the uploads' cost to training)\n"
            + "       java -jar deep-mnist-service.jar bench predict [--seconds=5] [--model-steps=200]\n"
            + "       java -jar deep-mnist-service.jar bench predict-compare [--seconds=10] [--rounds=3] [--model-steps=300]\n"
            + "       java -jar deep-mnist-service.jar bench promote --replicas=URL_A,URL_B [--rounds=20]\n"
            + "       java -jar deep-mnist-service.jar bench soak [--minutes=20]\n"
            + "       java -jar deep-mnist-service.jar bench flood [--connections=2000] [--rounds=3] [--warm-up=60]";

    private BenchCommand() {
    }

    /**
     * Returns the exit code: 0 done, 1 failed, 2 bad arguments.
     *
     * @param service starts the whole service with the given command-line arguments, as {@code java -jar} would
     */
    public static int run(List<String> args, Function<String[], ConfigurableApplicationContext> service) {
        try {
            if (args.isEmpty()) {
                throw new IllegalArgumentException("name a benchmark: train, predict, predict-compare, promote, soak or flood");
            }
            TensorFlowStartup.devices();
            return switch (args.get(0)) {
                case "train" -> new TrainBenchmark(option(args, "--steps=", 600), option(args, "--warmup=", 50),
                        option(args, "--rounds=", 3), optional(args, "--artifacts="), optional(args, "--s3-endpoint="),
                        service).run();
                case "predict" -> new PredictBenchmark(Duration.ofSeconds(option(args, "--seconds=", 5)),
                        option(args, "--model-steps=", 200), service).run();
                case PlainTensorFlowRun.COMMAND -> PlainTensorFlowRun.run(new TrainBenchmark(option(args, "--steps=", 600),
                        option(args, "--warmup=", 50), 1, service));
                case "predict-compare" -> new PredictCompareBenchmark(Duration.ofSeconds(option(args, "--seconds=", 10)),
                        option(args, "--rounds=", 3), option(args, "--model-steps=", 300), service).run();
                case PlainPredictor.COMMAND -> PlainPredictor.serve(Path.of(text(args, "--model=", null)));
                case "promote" -> new PromoteBenchmark(List.of(text(args, "--replicas=", null).split(",")),
                        option(args, "--rounds=", 20)).run();
                case "soak" -> new SoakBenchmark(Duration.ofMinutes(option(args, "--minutes=", 20)), service).run();
                case "flood" -> new FloodBenchmark(option(args, "--connections=", 2000), option(args, "--rounds=", 3),
                        Duration.ofSeconds(option(args, "--warm-up=", 60, 0)), service).run();
                default -> throw new IllegalArgumentException("unknown benchmark '" + args.get(0) + "'");
            };
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            return 2;
        } catch (Exception e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    /** A text option; without a fallback it is required. */
    private static String optional(List<String> args, String prefix) {
        for (String arg : args.subList(1, args.size())) {
            if (arg.startsWith(prefix) && arg.length() > prefix.length()) {
                return arg.substring(prefix.length());
            }
        }
        return null;
    }

    private static String text(List<String> args, String prefix, String fallback) {
        String value = optional(args, prefix);
        if (value != null) {
            return value;
        }
        if (fallback == null) {
            throw new IllegalArgumentException(args.get(0) + " needs " + prefix + "...");
        }
        return fallback;
    }

    private static int option(List<String> args, String prefix, int fallback) {
        return option(args, prefix, fallback, 1);
    }

    private static int option(List<String> args, String prefix, int fallback, int least) {
        for (String arg : args.subList(1, args.size())) {
            if (arg.startsWith(prefix)) {
                try {
                    int value = Integer.parseInt(arg.substring(prefix.length()));
                    if (value < least) {
                        throw new IllegalArgumentException(prefix + " must be at least " + least);
                    }
                    return value;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(prefix + " needs a whole number");
                }
            } else if (!arg.startsWith("--steps=") && !arg.startsWith("--warmup=") && !arg.startsWith("--seconds=")
                    && !arg.startsWith("--model-steps=") && !arg.startsWith("--minutes=") && !arg.startsWith("--rounds=")
                    && !arg.startsWith("--model=") && !arg.startsWith("--replicas=") && !arg.startsWith("--artifacts=")
                    && !arg.startsWith("--s3-endpoint=") && !arg.startsWith("--connections=") && !arg.startsWith("--warm-up=")) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return fallback;
    }
}
