package io.deepmnist.tutorial;

import io.deepmnist.dataset.DatasetException;
import io.deepmnist.dataset.DatasetProvider;
import io.deepmnist.dataset.HttpMirrorSource;
import io.deepmnist.dataset.MnistAcquirer;
import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistHome;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.ModelKind;
import io.deepmnist.engine.Precision;
import io.deepmnist.engine.Progress;
import io.deepmnist.engine.TensorFlowStartup;
import io.deepmnist.engine.Trainer;
import io.deepmnist.engine.TrainingFailedException;
import io.deepmnist.engine.TrainingListener;
import io.deepmnist.engine.TrainingResult;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code tutorial softmax|cnn [--steps=N] [--seed=S] [--precision=fp32|bf16] [--home=DIR]}: replays the tutorial on the command line,
 * without a web server, and prints the tutorial's own lines.
 */
public final class TutorialCommand {

    public static final String NAME = "tutorial";
    static final String USAGE = "usage: java -jar deep-mnist-service.jar tutorial softmax|cnn [--steps=N] [--seed=S] [--precision=fp32|bf16] [--home=DIR]";

    private final PrintStream out;
    private final PrintStream err;
    private final List<URI> mirrors;

    public TutorialCommand(PrintStream out, PrintStream err) {
        this(out, err, HttpMirrorSource.DEFAULT_MIRRORS);
    }

    TutorialCommand(PrintStream out, PrintStream err, List<URI> mirrors) {
        this.out = out;
        this.err = err;
        this.mirrors = mirrors;
    }

    /** Runs the command and returns the process exit code: 0 done, 1 failed, 2 bad arguments. */
    public int run(List<String> args) {
        TutorialOptions options;
        try {
            options = TutorialOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            Path dir = MnistHome.datasetDir(options.home());
            var acquirer = new MnistAcquirer(List.of(new HttpMirrorSource(mirrors, Duration.ofSeconds(60))));
            MnistDataset data = new DatasetProvider(dir, acquirer).get();
            return train(data, options.hyperparameters(), options.precision());
        } catch (DatasetException | TrainingFailedException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private int train(MnistDataset data, Hyperparameters hp, Precision asked) {
        boolean logSteps = hp.model() == ModelKind.CNN;
        TrainingListener printer = new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                // The tutorial prints before steps 0, 100, ..., 19900, not the report at the end of the run.
                if (logSteps && p.step() < p.totalSteps()) {
                    out.println("step " + p.step() + ", training accuracy " + GFormat.g(p.trainingAccuracy()));
                }
            }
        };
        TensorFlowStartup.devices();
        Precision.Choice precision = asked.resolve(ComputeDevice.CPU);
        if (asked != Precision.FP32) {
            err.println("precision: " + precision.reason()); // stdout keeps the tutorial's own lines only
        }
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults().withPrecision(precision.precision()))) {
            TrainingResult result = new Trainer(data).train(model, null, printer, () -> false);
            out.println("test accuracy " + GFormat.g(result.testAccuracy()));
            out.println(String.format(Locale.ROOT, "trained %d steps in %.1f s (%.1f steps/s)",
                    result.step() - result.startStep(), result.trainingTime().toNanos() / 1e9, result.stepsPerSecond()));
        }
        return 0;
    }
}
