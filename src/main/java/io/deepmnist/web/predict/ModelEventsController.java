package io.deepmnist.web.predict;

import io.deepmnist.jobs.EventStreams;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@Tag(name = "Models")
class ModelEventsController {

    private final EventStreams streams;

    ModelEventsController(EventStreams streams) {
        this.streams = streams;
    }

    @GetMapping(path = "/models/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow what serves predictions (server-sent events)",
            description = "Every replica's changes, oldest first, then live ones: alias (an alias moved or was removed; "
                    + "default moves on every promotion), traffic (the policy set, or reset: policy null) and decision (the "
                    + "policy's autoPromote rule promoted the challenger or ended the split, with its numbers: each side's "
                    + "labelled and correct predictions, z and the critical value). Event ids are sequence numbers; "
                    + "Last-Event-ID resumes after one. The stream stays open. Try: curl -N localhost:8080/models/events")
    @ApiResponse(responseCode = "200", description = "The event stream", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
            schema = @Schema(type = "string", description = "Server-sent events: id, event and data lines"), examples = @ExampleObject(value = """
            id:7
            event:decision
            data:{"decision":"promote","challenger":{"alias":"challenger","modelId":"cnn-20261204-101502-5c1e","labelled":412,"correct":405,"accuracy":0.983},"defaultModel":{"alias":"default","modelId":"softmax-20261127-093717-7afa","labelled":3710,"correct":3405,"accuracy":0.918},"z":4.6,"critical":1.645,"margin":0.0,"minLabels":200}

            """)))
    SseEmitter events(@Parameter(description = "Resume after this event id")
                      @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
                      HttpServletRequest request) {
        return ServerSentEvents.stream(request, subscriber -> streams.subscribe(EventStreams.MODELS,
                lastEventId == null ? 0 : Math.max(0, lastEventId), subscriber));
    }
}
