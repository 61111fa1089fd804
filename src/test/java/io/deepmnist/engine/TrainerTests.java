package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
     * AMX (the build machine), fp32, because TensorFlow's fallback for bf16 there trains at 2.4 steps/s.
     */
    @Test
    void cnnInBf16ReachesNinetySevenPercentAfterTwoThousandStepsAndItsFp32EvaluationAgrees(@TempDir Path tmp) {
        Hyperparameters hp = ModelKind.CNN.defaults().withSteps(2000).withCheckpointEvery(0).withSeed(1);
        List<Float> losses = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                losses.add(p.loss());
            }
        };
        float[] probe = new float[1000 * MnistFile.PIXELS];
        data.test().copyRange(0, 1000, probe, new float[1000 * MnistFile.CLASSES]);
        double bf16Accuracy;
        float[] bf16Probabilities;
        Path prefix = tmp.resolve("bf16");
        Precision bf16 = Precision.BF16.resolve(ComputeDevice.CPU).precision();
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults().withPrecision(bf16))) {
            TrainingResult result = trainer.train(model, null, listener, () -> false);
            assertThat(result.step()).isEqualTo(2000);
            assertThat(losses).as("before steps 0-1900, and at the end").hasSize(21);
            assertThat(losses.get(20)).isLessThan(losses.get(0));
            bf16Accuracy = result.testAccuracy();
            bf16Probabilities = model.probabilities(probe, 1000);
            model.save(prefix);
        }
        assertThat(bf16Accuracy).isGreaterThanOrEqualTo(0.97);
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults().withPrecision(Precision.FP32))) {
            model.restore(prefix);
            double fp32Accuracy = model.accuracy(data.test(), 1000);
            System.out.printf("CNN 2000 steps in bf16: test accuracy %.4f in its bf16 session, %.4f in FP32%n",
                    bf16Accuracy, fp32Accuracy);
            assertThat(fp32Accuracy).isCloseTo(bf16Accuracy, within(0.005));
            float[] fp32Probabilities = model.probabilities(probe, 1000);
            int agree = 0;
            for (int i = 0; i < 1000; i++) {
                agree += argmax(bf16Probabilities, i) == argmax(fp32Probabilities, i) ? 1 : 0;
            }
            assertThat(agree).as("digits of 1,000 on which bf16 and FP32 agree").isGreaterThanOrEqualTo(990);
        }
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
