package io.deepmnist.bench;

import io.deepmnist.dataset.DatasetProvider;
import io.deepmnist.dataset.HttpMirrorSource;
import io.deepmnist.dataset.MnistAcquirer;
import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistHome;
import io.deepmnist.engine.ComputeDevice;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/** A scratch home for a benchmark, sharing the dataset of MNIST_HOME (./data by default), and the service on it. */
final class BenchHome {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** How the benchmarks' models train and are served here: as a job with the default precision, auto. */
    static final Precision.Choice PRECISION = Precision.AUTO.resolve(ComputeDevice.CPU);

    private final Path home;
    private final Path datasetDir;
    private final Function<String[], ConfigurableApplicationContext> service;

    /** @param service starts the whole service with the given command-line arguments */
    BenchHome(Function<String[], ConfigurableApplicationContext> service) {
        this.service = service;
        this.datasetDir = MnistHome.datasetDir(MnistHome.resolve(MnistHome.DEFAULT));
        try {
            this.home = Files.createTempDirectory("deep-mnist-bench").toAbsolutePath();
            Files.createSymbolicLink(home.resolve("mnist"), datasetDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return home;
    }

    /** Removes the scratch home (the dataset it links to stays). */
    void delete() {
        FileTrees.delete(home);
    }

    MnistDataset dataset() {
        return dataset(datasetDir);
    }

    /** The dataset of MNIST_HOME (./data by default), without a scratch home. */
    static MnistDataset sharedDataset() {
        return dataset(MnistHome.datasetDir(MnistHome.resolve(MnistHome.DEFAULT)));
    }

    private static MnistDataset dataset(Path datasetDir) {
        return new DatasetProvider(datasetDir, new MnistAcquirer(List.of(
                new HttpMirrorSource(HttpMirrorSource.DEFAULT_MIRRORS, Duration.ofSeconds(60))))).get();
    }

    /**
     * Starts the whole service on a free port, as {@code java -jar} would, with extra {@code --name=value} settings.
     * The benchmarks warm each service up themselves, the same way for every one they compare, so the service's own
     * start-up warm-up is off unless a setting turns it on. A setting replaces the default of the same name.
     */
    ConfigurableApplicationContext startService(String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0", "--mnist.home=" + home,
                "--spring.main.banner-mode=off", "--mnist.inference.warm-up=0s", "--mnist.grpc.port=0",
                "--logging.level.root=WARN", "--logging.level.io.deepmnist=WARN"));
        for (String setting : settings) {
            String name = setting.substring(0, setting.indexOf('=') + 1);
            args.removeIf(arg -> arg.startsWith(name));
        }
        args.addAll(List.of(settings));
        return service.apply(args.toArray(String[]::new));
    }

    /**
     * Trains a CNN for {@code steps} on the real data, exports it as this home's default model and returns its
     * directory; {@code whileLoaded} sees the trained model before it is closed. It trains in the precision a job
     * gets by default ({@code auto}: bf16 on a CPU with it in hardware), so the service serves it as it would serve
     * a user's model; {@link #PRECISION} says which.
     */
    Path trainDefaultCnn(MnistDataset data, int steps, Consumer<MnistModel> whileLoaded) {
        Hyperparameters hp = ModelKind.CNN.defaults().withSteps(steps).withCheckpointEvery(0).withSeed(1);
        Precision precision = PRECISION.precision();
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults().withPrecision(precision))) {
            TrainingResult result = new Trainer(data).train(model, null, TrainingListener.NONE, () -> false);
            String id = "cnn-bench";
            Path dir = home.resolve("models").resolve(id);
            ModelExporter.export(model, dir, new ModelManifest(id, null, "cnn", hp, precision,
                    result.step(), result.validationAccuracy(), result.testAccuracy(), Map.of(),
                    TensorFlowInfo.nativeVersion(), TensorFlowInfo.javaVersion(), Instant.now()));
            Files.writeString(home.resolve("models").resolve("default"), id + "\n");
            whileLoaded.accept(model);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port the service's gRPC server took ({@code local.grpc.port}, as {@code local.server.port} for HTTP). */
    static int grpcPort(ConfigurableApplicationContext service) {
        return service.getEnvironment().getRequiredProperty("local.grpc.port", Integer.class);
    }

    static String baseUrl(ConfigurableApplicationContext service) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort();
    }

    static void writeResults(String name, Object results) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "bench"));
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(name).toFile(), results);
            System.out.println("results written to " + dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
