package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deepmnist.config.InferenceProperties;
import io.deepmnist.engine.Precision;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code mnist.inference.precision}: fp32 unless set; {@code model} gives each model the precision it was trained in. */
class InferencePrecisionTests {

    private static InferenceProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("mnist.inference", Bindable.of(InferenceProperties.class));
    }

    @Test
    void predictionsRunInFp32UnlessConfigured() {
        String setting = bind(Map.of()).precision();
        assertThat(ModelRegistry.sessionPrecision(setting)).isEqualTo(Precision.FP32);
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
                .hasMessageContaining("fp32, bf16, auto, or model");
    }
}
