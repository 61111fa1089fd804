package io.deepmnist.web.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer: the model that gave it and one prediction per image, in order, each with the id that
 * {@code POST /predictions/{predictionId}/feedback} takes. With {@code ?explain=true},
 * also the 28x28 pixels each image became after preprocessing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PredictResponse(String modelId, List<PredictedDigit> predictions, List<float[]> inputs) {
}
