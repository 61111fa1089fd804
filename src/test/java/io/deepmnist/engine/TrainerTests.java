package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.deepmnist.TrainsCnn;
import io.deepmnist.dataset.DataSplit;
import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.inference.TrainedModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The tutorial's two models trained on the real MNIST. */
class TrainerTests {

    private final MnistDataset data = RealMnist.get();
    private final Trainer trainer = new Trainer(data);

    @Test
    void softmaxReachesTheTutorialsAccuracyAfterItsThousandSteps() {
        Hyperparameters hp = ModelKind.SOFTMAX.defaults().withSeed(1);
        List<Progress> progress = new ArrayList<>();
        List<Evaluation> evaluations = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                progress.add(p);
            }

            @Override
            public void onEvaluation(Evaluation e) {
                evaluations.add(e);
            }
        };
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            TrainingResult result = trainer.train(model, null, listener, () -> false);

            assertThat(result.cancelled()).isFalse();
            assertThat(result.step()).isEqualTo(1000);
            assertThat(result.testAccuracy()).isGreaterThanOrEqualTo(0.90);
            assertThat(result.validationAccuracy()).isGreaterThanOrEqualTo(0.90);
            assertThat(progress).extracting(Progress::step).containsExactly(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000);
            assertThat(progress.get(progress.size() - 1).trainingAccuracy()).isGreaterThan(0.8f);
            assertThat(progress.get(progress.size() - 1).examplesPerSecond()).isPositive();
            assertThat(evaluations).extracting(Evaluation::split).containsExactly("validation", "test");
            assertThat(evaluations.get(1).accuracy()).isEqualTo(result.testAccuracy());
        }
    }

    /**
     * Trains in bf16 (oneDNN's auto mixed precision), then evaluates the same weights in an FP32 session: bf16 costs
     * no accuracy worth the name. bf16 is resolved for this CPU as the service does it: where it has no AVX-512 or
     * AMX, fp32, because TensorFlow's fallback for bf16 there trains at 2.4 steps/s; the model is then the
     * prediction tests' shared fp32 CNN of 1,000 steps ({@link TrainedModels#cnnIn}), else a bf16 one of 600.
     */
    @TrainsCnn
    @Test
    void aCnnTrainedInBf16ReachesNinetyTwoPercentAndItsFp32EvaluationAgrees() {
        TensorFlowStartup.devices();
        Precision bf16 = Precision.BF16.resolve(ComputeDevice.CPU).precision();
        TrainedModels.Trained trained = TrainedModels.cnnIn(bf16);
        int steps = ModelExporter.readManifest(trained.dir()).steps();
        assertThat(steps).isIn(600, 1000);
        assertThat(trained.testAccuracy()).as("test accuracy in its %s training session", bf16).isGreaterThanOrEqualTo(0.92);

        DataSplit test = data.test();
        float[] images = new float[test.size() * MnistFile.PIXELS];
        float[] labels = new float[test.size() * MnistFile.CLASSES];
        test.copyRange(0, test.size(), images, labels);
        float[] fp32Probabilities = new float[test.size() * MnistFile.CLASSES];
        // Loaded with no session options: fp32, whatever the training session ran in. Batches of 1,000 keep the
        // convolutions' activations to about 100 MB.
        int batch = 1000;
        try (SavedModelBundle bundle = SavedModelBundle.load(trained.dir().toString(), MnistModel.SERVING_TAG)) {
            for (int first = 0; first < test.size(); first += batch) {
                int count = Math.min(batch, test.size() - first);
                try (TFloat32 input = TFloat32.tensorOf(Shape.of(count, MnistFile.PIXELS),
                        DataBuffers.of(images, true, false).slice((long) first * MnistFile.PIXELS, (long) count * MnistFile.PIXELS));
                     Result result = bundle.function(MnistModel.SERVING_SIGNATURE).call(Map.of(MnistModel.IMAGES, input))) {
                    ((TFloat32) result.get(MnistModel.PROBABILITIES).orElseThrow()).copyTo(DataBuffers.of(fp32Probabilities, false, false)
                            .slice((long) first * MnistFile.CLASSES, (long) count * MnistFile.CLASSES));
                }
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            correct += argmax(fp32Probabilities, i) == argmax(labels, i) ? 1 : 0;
        }
        double fp32Accuracy = correct / (double) test.size();
        System.out.printf("CNN of %d steps in %s: test accuracy %.4f in its training session, %.4f in FP32%n",
                steps, bf16, trained.testAccuracy(), fp32Accuracy);
        assertThat(fp32Accuracy).isCloseTo(trained.testAccuracy(), within(0.005));
        int agree = 0;
        for (int i = 0; i < TrainedModels.PROBE; i++) {
            agree += argmax(trained.probeProbabilities(), i) == argmax(fp32Probabilities, i) ? 1 : 0;
        }
        assertThat(agree).as("digits of the first %d on which the training session and FP32 agree", TrainedModels.PROBE)
                .isGreaterThanOrEqualTo(TrainedModels.PROBE - 2);
    }

    private static int argmax(float[] probabilities, int row) {
        int best = 0;
        for (int c = 1; c < MnistFile.CLASSES; c++) {
            if (probabilities[row * MnistFile.CLASSES + c] > probabilities[row * MnistFile.CLASSES + best]) {
                best = c;
            }
        }
        return best;
    }

    @Test
    void cancellationStopsBeforeTheNextStep() {
        Hyperparameters hp = ModelKind.CNN.defaults().withSteps(1000).withLogEvery(1).withSeed(1);
        AtomicBoolean cancel = new AtomicBoolean();
        AtomicInteger lastReported = new AtomicInteger();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                lastReported.set(p.step());
                if (p.step() == 7) {
                    cancel.set(true);
                }
            }
        };
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            TrainingResult result = trainer.train(model, null, listener, cancel::get);

            assertThat(result.cancelled()).isTrue();
            assertThat(result.step()).isEqualTo(8);
            assertThat(lastReported.get()).isEqualTo(7);
            assertThat(result.testAccuracy()).isNull();
        }
    }

    @Test
    void aDivergingRunFailsWithAnExplanation() {
        Hyperparameters hp = new Hyperparameters(ModelKind.SOFTMAX, 200, 100, OptimizerKind.GRADIENT_DESCENT,
                1e38f, 1f, 10, 0, 1);
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            assertThatThrownBy(() -> trainer.train(model, null, TrainingListener.NONE, () -> false))
                    .isInstanceOf(TrainingFailedException.class)
                    .hasMessageContaining("training diverged; lower the learningRate");
        }
    }
}
