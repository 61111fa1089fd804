package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deepmnist.config.InferenceProperties;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Precision;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code mnist.inference.precision}: {@code model} unless set, each model in the precision it was trained in. */
class InferencePrecisionTests {

    private static InferenceProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("mnist.inference", Bindable.of(InferenceProperties.class));
    }

    @Test
    void predictionsRunInEachModelsOwnPrecisionUnlessConfigured() {
        String setting = bind(Map.of()).precision();
        assertThat(ModelRegistry.sessionPrecision(setting)).isNull();
    }

    @Test
    void modelLeavesEachModelItsTrainedPrecisionAndTheOthersApplyToEveryModel() {
        assertThat(ModelRegistry.sessionPrecision(bind(Map.of("mnist.inference.precision", "model")).precision())).isNull();
        assertThat(ModelRegistry.sessionPrecision(" Model ")).isNull();
        assertThat(ModelRegistry.sessionPrecision("bf16")).isEqualTo(Precision.BF16);
        assertThat(ModelRegistry.sessionPrecision("auto")).isEqualTo(Precision.AUTO);
        assertThat(ModelRegistry.sessionPrecision("FP32")).isEqualTo(Precision.FP32);
    }

    @Test
    void anUnknownValueStopsStartUpNamingTheSettingAndTheChoices() {
        assertThatThrownBy(() -> ModelRegistry.sessionPrecision("half"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mnist.inference.precision")
                .hasMessageContaining("'half'")
                .hasMessageContaining("auto, fp32, bf16")
                .hasMessageContaining("'model'");
    }

    /** A model trained in bf16 (its manifest says so) predicts in bf16 by default, in fp32 where configured. */
    @Test
    void aBf16ModelsSessionsRunInTheConfiguredPrecision() {
        ModelEntry bf16Model = TrainedModels.softmaxEntry("trained-in-bf16", Precision.BF16);
        String byDefault = bind(Map.of()).precision();

        LoadedModel fp32 = LoadedModel.load(bf16Model, EngineSettings.defaults(), ModelRegistry.sessionPrecision("fp32"), false);
        LoadedModel own = LoadedModel.load(bf16Model, EngineSettings.defaults(), ModelRegistry.sessionPrecision(byDefault), false);
        try {
            assertThat(fp32.precision()).isEqualTo(Precision.FP32);
            // bf16 where this CPU can run it (AVX-512 or AMX), else fp32: as a job resolves it.
            assertThat(own.precision()).isEqualTo(Precision.BF16.resolve(ComputeDevice.CPU).precision());
            float[] digit = new float[784];
            assertThat(fp32.probabilities(digit, 1)).hasSize(10);
            assertThat(own.probabilities(digit, 1)).hasSize(10);
        } finally {
            fp32.retire();
            own.retire();
        }
    }
}
