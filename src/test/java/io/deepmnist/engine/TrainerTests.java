package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.RealMnist;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

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

    @Test
    void cnnIsAboveNinetyPercentAfterFiveHundredSteps() {
        Hyperparameters hp = ModelKind.CNN.defaults().withSteps(500).withSeed(1);
        List<Float> losses = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                losses.add(p.loss());
            }
        };
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            TrainingResult result = trainer.train(model, null, listener, () -> false);

            assertThat(result.step()).isEqualTo(500);
            assertThat(result.testAccuracy()).isGreaterThanOrEqualTo(0.90);
            assertThat(losses).as("before steps 0-400, and at the end").hasSize(6);
            assertThat(losses.get(5)).isLessThan(losses.get(0));
        }
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
