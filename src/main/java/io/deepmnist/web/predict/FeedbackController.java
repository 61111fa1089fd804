package io.deepmnist.web.predict;

import io.deepmnist.inference.FeedbackAccuracy;
import io.deepmnist.inference.FeedbackHistory;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.inference.PredictionLog;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import io.deepmnist.inference.PredictionRejectedException;
import io.deepmnist.web.http.PredictionEndpoint;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Feedback", description = "The right digit for an answered image, and each model's accuracy on such labels")
class FeedbackController {

    /** The body of a label: the digit the image really shows. */
    record FeedbackRequest(Integer digit) {
    }

    private final PredictionLog predictions;
    private final FeedbackHistory history;
    private final ModelRegistry registry;

    FeedbackController(PredictionLog predictions, FeedbackHistory history, ModelRegistry registry) {
        this.predictions = predictions;
        this.history = history;
        this.registry = registry;
    }

    @PredictionEndpoint
    @PostMapping(path = "/predictions/{predictionId}/feedback", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Say which digit an answered image really shows",
            description = "predictionId comes with each answer (predictions[].predictionId of /predict, the header "
                    + "X-Prediction-Ids in every protocol). A second label for the same prediction replaces the first. 404 for "
                    + "an id the log does not keep (unknown, or removed by mnist.feedback.max-entries or max-age). Open like "
                    + "the predictions, unless mnist.security.protect-predict is set.")
    PredictionLog.Labelled feedback(@PathVariable String predictionId, @RequestBody FeedbackRequest request) {
        if (request == null || request.digit() == null || request.digit() < 0 || request.digit() > 9) {
            throw new PredictionRejectedException(Reason.MALFORMED, "send the digit the image shows, 0 to 9: {\"digit\": 7}");
        }
        return predictions.label(predictionId, request.digit());
    }

    @GetMapping(path = "/models/{id}/feedback", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A model's accuracy on the labelled predictions",
            description = "By its id or an alias: the predictions it answered that users labelled, how many it got right, "
                    + "the accuracy and its 95 % Wilson interval (fleet-wide: the log is in the store).")
    FeedbackAccuracy accuracy(@PathVariable String id) {
        return predictions.accuracy(registry.named(id).id());
    }

    @GetMapping(path = "/models/{id}/feedback/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A model's labelled accuracy over time",
            description = "Its labelled predictions counted per bucket of the time they were answered (minute, hour or day), "
                    + "the last " + FeedbackHistory.BUCKETS + " buckets, oldest first; buckets without labels are left out. "
                    + "Each point has labelled, correct, accuracy and its 95 % Wilson interval.")
    FeedbackHistory.History history(@PathVariable String id,
                                    @Parameter(description = "minute, hour (default) or day") @RequestParam(defaultValue = "hour") String bucket) {
        FeedbackHistory.Bucket size;
        try {
            size = FeedbackHistory.Bucket.valueOf(bucket.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PredictionRejectedException(Reason.MALFORMED, "bucket: '" + bucket + "' is not minute, hour or day");
        }
        return history.of(registry.named(id).id(), size, Instant.now());
    }
}
