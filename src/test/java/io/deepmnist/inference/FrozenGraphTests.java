package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deepmnist.TrainsCnn;
import io.deepmnist.dataset.DataSplit;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.ModelExporter;
import io.deepmnist.engine.Precision;
import io.deepmnist.engine.TensorFlowStartup;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;

/**
 * bf16 predictions run the serving function with the weights as constants: it must answer as the trained model
 * did, hold no variables or training ops, and in bf16 classify the test set as the fp32 evaluation does.
 */
@TrainsCnn
class FrozenGraphTests {

    private static final int BATCH = 250;

    @Test
    void theFrozenFunctionHoldsNoVariablesNorTrainingOpsAndAnswersAsTheTrainingSessionDid() {
        TensorFlowStartup.devices();
        TrainedModels.Trained cnn = TrainedModels.cnn();
        try (SavedModelBundle bundle = SavedModelBundle.load(cnn.dir().toString(), MnistModel.SERVING_TAG);
             Graph frozen = FrozenGraph.of(bundle, bundle.function(MnistModel.SERVING_SIGNATURE).signature())) {
            Set<String> types = new HashSet<>();
            frozen.operations().forEachRemaining(op -> types.add(op.type()));
            assertThat(types).contains("Const", "Conv2D", "MatMul", "Softmax")
                    .doesNotContain("VariableV2", "Variable", "Assign", "ApplyAdam", "SaveV2", "RestoreV2");
        }

        // Frozen in fp32 too (the service freezes only bf16 sessions), so that any CPU checks the same answers.
        EngineSettings fp32 = EngineSettings.defaults().inCallersThread();
        LoadedModel model = LoadedModel.open(new ModelEntry(ModelExporter.readManifest(cnn.dir()), cnn.dir()), fp32, null, true);
        try {
            assertThat(model.isFrozen()).isTrue();
            float[] answers = model.probabilities(TrainedModels.probeImages(), TrainedModels.PROBE);
            for (int i = 0; i < answers.length; i++) {
                assertThat(answers[i]).as("probability %d", i).isCloseTo(cnn.probeProbabilities()[i], within(1e-5f));
            }
        } finally {
            model.retire();
        }
    }

    /** bf16 where this CPU has bf16 instructions (else both are fp32 on the SavedModel, and agree trivially). */
    @Test
    void aBf16ModelClassifiesTheTestSetAsItsFp32EvaluationDoes() {
        TensorFlowStartup.devices();
        ModelEntry entry = TrainedModels.cnnEntry("cnn-trained-in-bf16", Precision.BF16);
        LoadedModel own = LoadedModel.load(entry, EngineSettings.defaults(), null, true);
        LoadedModel fp32 = LoadedModel.load(entry, EngineSettings.defaults(), Precision.FP32, true);
        try {
            assertThat(own.precision()).isEqualTo(Precision.BF16.resolve(ComputeDevice.CPU).precision());
            assertThat(own.isFrozen()).isEqualTo(own.precision() == Precision.BF16);
            assertThat(fp32.precision()).isEqualTo(Precision.FP32);
            assertThat(fp32.isFrozen()).isFalse();
            DataSplit test = RealMnist.get().test();
            int ownCorrect = 0;
            int fp32Correct = 0;
            int agree = 0;
            float[] images = new float[BATCH * MnistFile.PIXELS];
            float[] labels = new float[BATCH * MnistFile.CLASSES];
            for (int first = 0; first < test.size(); first += BATCH) {
                test.copyRange(first, BATCH, images, labels);
                float[] ownAnswers = own.probabilities(images, BATCH);
                float[] fp32Answers = fp32.probabilities(images, BATCH);
                for (int i = 0; i < BATCH; i++) {
                    int digit = test.digit(first + i);
                    ownCorrect += digit(ownAnswers, i) == digit ? 1 : 0;
                    fp32Correct += digit(fp32Answers, i) == digit ? 1 : 0;
                    agree += digit(ownAnswers, i) == digit(fp32Answers, i) ? 1 : 0;
                }
            }
            double ownAccuracy = ownCorrect / (double) test.size();
            double fp32Accuracy = fp32Correct / (double) test.size();
            System.out.printf("CNN of 1,000 steps served in %s: test accuracy %.4f; in fp32 %.4f; same digit for %d of %d%n",
                    own.precision().id(), ownAccuracy, fp32Accuracy, agree, test.size());
            assertThat(fp32Accuracy).isCloseTo(TrainedModels.cnn().testAccuracy(), within(1e-4));
            assertThat(ownAccuracy).isCloseTo(fp32Accuracy, within(0.005));
            assertThat(agree).as("digits of %d on which the two agree", test.size()).isGreaterThanOrEqualTo(test.size() * 99 / 100);

            float[] lone = own.probabilities(Arrays.copyOf(images, MnistFile.PIXELS), 1);
            float[] batched = own.probabilities(images, BATCH);
            for (int c = 0; c < MnistFile.CLASSES; c++) {
                assertThat(lone[c]).as("class %d of a lone image against its batch row", c).isCloseTo(batched[c], within(0.02f));
            }
        } finally {
            own.retire();
            fp32.retire();
        }
    }

    private static int digit(float[] probabilities, int row) {
        return Prediction.of(probabilities, row * MnistFile.CLASSES).digit();
    }
}
