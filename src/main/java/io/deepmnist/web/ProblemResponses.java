package io.deepmnist.web;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The problem-detail errors every job endpoint can answer with, for the OpenAPI document. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(responseCode = "400", description = "Invalid input; detail names the field",
        content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(value =
                "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                        + "\"detail\":\"steps: must be less than or equal to 1000000\",\"instance\":\"/jobs\"}")))
@ApiResponse(responseCode = "404", description = "No such job",
        content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(value =
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"There is no job 'abc'; GET /jobs lists the jobs there are.\",\"instance\":\"/jobs/abc\"}")))
@ApiResponse(responseCode = "409", description = "Not allowed in the job's state",
        content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(value =
                "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,"
                        + "\"detail\":\"Job 1f0e... is RUNNING and cannot be deleted; cancel it first\",\"state\":\"RUNNING\"}")))
@interface ProblemResponses {
}
