package io.deepmnist.web.predict;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/** JSON input to /predict: one image as {@code pixels}, or several as {@code instances}. */
@Schema(description = "Each image is 784 values row by row, or 28 rows of 28 values: in [0,1], or whole numbers "
        + "0-255. Either polarity: unless ?preprocess=false, black ink on white is inverted, cropped and centred as "
        + "an uploaded image is; a 28x28 MNIST-format image (white ink on black) is used as it is.")
public record PredictRequest(
        @Schema(description = "One image") @JsonDeserialize(using = PixelsDeserializer.class) float[] pixels,
        @Schema(description = "Several images") @JsonDeserialize(contentUsing = PixelsDeserializer.class) float[][] instances) {
}
