package io.deepmnist.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** JSON input to /predict: one image as {@code pixels}, or several as {@code instances}. */
@Schema(description = "784 values per image, row by row, white ink on black: in [0,1], or whole numbers 0-255")
record PredictRequest(
        @Schema(description = "One image") float[] pixels,
        @Schema(description = "Several images") float[][] instances) {
}
