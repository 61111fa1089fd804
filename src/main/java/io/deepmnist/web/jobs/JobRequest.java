package io.deepmnist.web.jobs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.ModelKind;
import io.deepmnist.engine.OptimizerKind;
import io.deepmnist.engine.Precision;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.concurrent.ThreadLocalRandom;

/** {@code POST /jobs}: every field but model is optional and defaults to the tutorial's value. */
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(description = "A training job to start. Omitted fields take the tutorial's values for the model.")
record JobRequest(
        @NotNull(message = "is required: softmax or cnn")
        @Pattern(regexp = "softmax|cnn", message = "must be softmax or cnn")
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"softmax", "cnn"}, example = "softmax")
        String model,
        @Min(1) @Max(1_000_000) @Schema(description = "Training steps (softmax 1000, cnn 20000)", example = "1000")
        Integer steps,
        @Min(1) @Max(1_000) @Schema(description = "Examples per step (softmax 100, cnn 50)", example = "100")
        Integer batchSize,
        @Pattern(regexp = "gradient-descent|adam", message = "must be gradient-descent or adam")
        @Schema(allowableValues = {"gradient-descent", "adam"}, description = "softmax gradient-descent, cnn adam")
        String optimizer,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("10") @Schema(description = "softmax 0.5, cnn 1e-4")
        Double learningRate,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Schema(description = "Dropout keep probability in training (cnn 0.5)")
        Double keepProb,
        @Min(1) @Max(1_000_000) @Schema(description = "Steps between progress events", example = "100")
        Integer logEvery,
        @Min(0) @Max(1_000_000) @Schema(description = "Steps between checkpoints; 0 = only at the end (softmax 0, cnn 1000)")
        Integer checkpointEvery,
        @Min(0) @Schema(description = "Seeds initialisation, dropout and batch order; random when omitted")
        Long seed,
        @Schema(description = "Make the model the default for predictions when the job succeeds")
        Boolean promote,
        @Pattern(regexp = "auto|fp32|bf16", message = "must be auto, fp32 or bf16")
        @Schema(allowableValues = {"auto", "fp32", "bf16"}, description = "Training arithmetic: bf16 is oneDNN's bfloat16 "
                + "mixed precision (weights stay fp32); auto picks bf16 on CPUs with AVX512_BF16 or AMX, fp32 elsewhere. "
                + "Default: mnist.engine.precision (auto)")
        String precision,
        @Size(max = 64) @Schema(description = "Start from this registered model's weights and optimizer state (its id or an "
                + "alias), to fine-tune it; omitted fields then take its values, and steps takes " + JobPlanner.FINE_TUNE_STEPS,
                example = "challenger")
        String from,
        @Valid @Schema(description = "What to train on besides MNIST's training split")
        Data data,
        @Size(max = 32) @Schema(description = "An alias to point at the model when the job succeeds, such as challenger; "
                + "a model trained for an alias other than default is not made the default for being more accurate",
                example = "challenger")
        String alias) {

    /**
     * @param feedback mix the images users labelled (POST /predictions/{id}/feedback) into every batch
     * @param ratio    their share of each batch
     */
    @Schema(description = "Training data besides MNIST")
    record Data(
            @Schema(description = "Mix the predictions users labelled, up to the job's submission, into every batch")
            Boolean feedback,
            @DecimalMin(value = "0", inclusive = false, message = "must be above 0 and at most 1: the share of each batch "
                    + "taken from labelled predictions")
            @DecimalMax(value = "1", message = "must be above 0 and at most 1: the share of each batch taken from labelled predictions")
            @Schema(description = "The labelled predictions' share of each batch, in (0, 1]; default " + JobPlanner.DEFAULT_RATIO,
                    example = "0.2")
            Double ratio) {
    }

    /** null when absent: the service's default applies. */
    Precision toPrecision() {
        return precision == null ? null : Precision.fromId(precision);
    }

    Hyperparameters toHyperparameters() {
        return toHyperparameters(ModelKind.fromId(model).defaults());
    }

    /** @param d the values of omitted fields (all but the seed, which is random when omitted) */
    Hyperparameters toHyperparameters(Hyperparameters d) {
        return new Hyperparameters(d.model(),
                steps != null ? steps : d.steps(),
                batchSize != null ? batchSize : d.batchSize(),
                optimizer != null ? OptimizerKind.fromId(optimizer) : d.optimizer(),
                learningRate != null ? learningRate.floatValue() : d.learningRate(),
                keepProb != null ? keepProb.floatValue() : d.keepProb(),
                logEvery != null ? logEvery : d.logEvery(),
                checkpointEvery != null ? checkpointEvery : d.checkpointEvery(),
                seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 31));
    }
}
