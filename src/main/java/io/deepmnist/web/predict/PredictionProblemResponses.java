package io.deepmnist.web.predict;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The problem-detail errors of the predict endpoints, for the OpenAPI document. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(responseCode = "400", description = "Not an image, a truncated file, or JSON of the wrong shape",
        content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(value =
                "{\"status\":400,\"title\":\"Bad Request\",\"detail\":\"pixels has 783 values; an image is 784 (28x28, row by row)\"}")))
@ApiResponse(responseCode = "404", description = "No such model", content = @Content(mediaType = "application/problem+json"))
@ApiResponse(responseCode = "413", description = "Body, image count or image dimensions over the limits",
        content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(value =
                "{\"status\":413,\"title\":\"Payload Too Large\",\"detail\":\"the image is 20000x20000 pixels; the limit is 4096x4096\"}")))
@ApiResponse(responseCode = "415", description = "A content type or image format the service does not read",
        content = @Content(mediaType = "application/problem+json"))
@ApiResponse(responseCode = "422", description = "A blank image, or pixel values out of range",
        content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(value =
                "{\"status\":422,\"title\":\"Unprocessable Entity\",\"detail\":\"the image is blank: no ink stands out from its background\"}")))
@ApiResponse(responseCode = "503", description = "No default model yet: train one",
        content = @Content(mediaType = "application/problem+json"))
@interface PredictionProblemResponses {
}
