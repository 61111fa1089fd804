package io.deepmnist.web.jobs;

import io.deepmnist.jobs.JobService;
import io.deepmnist.web.http.ServerSentEvents;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@Tag(name = "Jobs")
class JobEventsController {

    private final JobService jobs;

    JobEventsController(JobService jobs) {
        this.jobs = jobs;
    }

    @GetMapping(path = "/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow a job's events (server-sent events)",
            description = "The history first, then live events: progress every logEvery steps, checkpoint, evaluation "
                    + "(validation at each checkpoint, test at the end) and state on every change. Event ids are the "
                    + "job's sequence numbers; Last-Event-ID resumes after one. Comment lines keep an idle stream open. "
                    + "The stream ends after the terminal state event. Try: curl -N localhost:8080/jobs/{id}/events")
    @ApiResponse(responseCode = "200", description = "The event stream", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
            schema = @Schema(type = "string", description = "Server-sent events: id, event and data lines"), examples = @ExampleObject(value = """
            id:12
            event:progress
            data:{"step":1200,"totalSteps":20000,"trainingAccuracy":0.98,"loss":0.061,"examplesPerSecond":1350.0,"etaSeconds":700.0}

            """)))
    SseEmitter events(@PathVariable String id,
                      @Parameter(description = "Resume after this event id")
                      @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
                      HttpServletRequest request) {
        return ServerSentEvents.stream(request, subscriber -> jobs.subscribe(id, lastEventId == null ? 0 : Math.max(0, lastEventId), subscriber));
    }
}
