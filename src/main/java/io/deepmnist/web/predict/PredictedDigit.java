package io.deepmnist.web.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.deepmnist.inference.Prediction;

/** One image's answer; {@code predictionId} is null where the image was not logged (the log is off or was full). */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PredictedDigit(int digit, float confidence, float[] probabilities, String predictionId) {

    static PredictedDigit of(Prediction prediction, String predictionId) {
        return new PredictedDigit(prediction.digit(), prediction.confidence(), prediction.probabilities(), predictionId);
    }
}
