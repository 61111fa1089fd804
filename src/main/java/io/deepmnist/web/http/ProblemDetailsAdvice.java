package io.deepmnist.web.http;

import io.deepmnist.artifacts.ArtifactStoreException;
import io.deepmnist.inference.AliasException;
import io.deepmnist.inference.ModelInUseException;
import io.deepmnist.inference.ModelNotFoundException;
import io.deepmnist.inference.ModelUnavailableException;
import io.deepmnist.inference.NoDefaultModelException;
import io.deepmnist.inference.PredictionNotFoundException;
import io.deepmnist.inference.PredictionRejectedException;
import io.deepmnist.jobs.InvalidJobException;
import io.deepmnist.jobs.JobNotFoundException;
import io.deepmnist.jobs.JobStateException;
import io.deepmnist.jobs.QueueFullException;
import io.deepmnist.jobs.TooManySubscribersException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Maps the service's typed refusals and Spring MVC's errors to RFC 9457 problem details that say what to fix. */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler
    ProblemDetail notFound(JobNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage() + "; GET /jobs lists the jobs there are.");
    }

    @ExceptionHandler
    ProblemDetail conflict(JobStateException e) {
        String route = switch (e.action()) {
            case "deleted" -> " (POST /jobs/" + e.id() + "/cancel)";
            case "resumed" -> e.state().isTerminal() ? "" : " (POST /jobs/" + e.id() + "/cancel stops it)";
            default -> "";
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage() + route);
        problem.setProperty("state", e.state());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail invalidJob(InvalidJobException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage() + ".");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> queueFull(QueueFullException e) {
        return retryLater(HttpStatus.TOO_MANY_REQUESTS, e.retryAfter())
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()));
    }

    /** A refusal that is only a matter of time: its status, and Retry-After in whole seconds (at least 1). */
    private static ResponseEntity.BodyBuilder retryLater(HttpStatus status, Duration after) {
        return ResponseEntity.status(status).header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, after.toSeconds())));
    }

    /**
     * The job store is away (PostgreSQL restarting, a network cut), or failed otherwise (a connection cut
     * mid-query, a constraint): a moment's wait, not a server error. A lost connection inside a transaction
     * surfaces as the failed rollback's TransactionException. Failures other than a lost store are logged.
     */
    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ResponseEntity<ProblemDetail> storeFailed(RuntimeException e) {
        boolean away = e instanceof DataAccessResourceFailureException || e instanceof TransactionException;
        if (!away) {
            log.error("The job store failed: {}", ((DataAccessException) e).getMostSpecificCause().toString(), e);
        }
        String detail = away ? "The job store cannot be reached right now; try again in a few seconds. GET /readyz "
                + "shows the store's state." : "The job store could not complete this request; try again in a few "
                + "seconds. If it keeps failing, the service's log names the cause.";
        return retryLater(HttpStatus.SERVICE_UNAVAILABLE, Duration.ofSeconds(5))
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail));
    }

    /** The bucket of checkpoints and models is away or refuses the request: a wait, as for the job store. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> artifactStoreFailed(ArtifactStoreException e) {
        log.warn("The artifact store failed: {}", e.getMessage());
        return retryLater(HttpStatus.SERVICE_UNAVAILABLE, Duration.ofSeconds(10))
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "The artifact store cannot be reached ("
                        + e.getMessage() + "); nothing was changed. Try again once it is back (readiness shows artifactStore)."));
    }

    /** Files under mnist.home that cannot be read, written or deleted (permissions, a full or read-only disk). */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> filesFailed(UncheckedIOException e) {
        log.error("A file operation failed: {}", e.getMessage(), e);
        return retryLater(HttpStatus.SERVICE_UNAVAILABLE, Duration.ofSeconds(30))
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "The service could not read or "
                        + "write its files (" + e.getMessage() + "); check the disk under mnist.home and its permissions."));
    }

    @ExceptionHandler
    ProblemDetail modelUnavailable(ModelUnavailableException e) {
        log.error("{}", e.getMessage(), e.getCause());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooManySubscribers(TooManySubscribersException e) {
        // The refused request asked for an event stream; the refusal is a problem detail all the same.
        return retryLater(HttpStatus.TOO_MANY_REQUESTS, e.retryAfter()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()));
    }

    /**
     * A multipart body that cannot be parsed (no boundary, cut short); a too large one stays 413. The rest of such a
     * body cannot be told from the next request, so Jetty closes the connection, and the answer says so.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> unreadableMultipart(MultipartException e) {
        return ResponseEntity.badRequest().header(HttpHeaders.CONNECTION, "close").body(ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, "The multipart body cannot be read (" + e.getMessage()
                        + "); send multipart/form-data with its boundary and one or more parts named 'image'."));
    }

    @ExceptionHandler
    ProblemDetail modelNotFound(ModelNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage() + "; GET /models lists the models there are.");
    }

    @ExceptionHandler
    ProblemDetail noDefaultModel(NoDefaultModelException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "There is no default model yet. Train one "
                + "(POST /jobs {\"model\":\"cnn\"}); a finished job's model becomes the default. Or promote an existing one "
                + "with POST /models/{id}/promote.");
    }

    @ExceptionHandler
    ProblemDetail predictionNotFound(PredictionNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage() + ".");
    }

    @ExceptionHandler
    ProblemDetail alias(AliasException e) {
        HttpStatus status = switch (e.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case CONFLICT -> HttpStatus.CONFLICT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
        };
        return ProblemDetail.forStatusAndDetail(status, e.getMessage() + ".");
    }

    @ExceptionHandler
    ProblemDetail modelInUse(ModelInUseException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage() + ".");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> rejected(PredictionRejectedException e) {
        HttpStatus status = switch (e.reason()) {
            case MALFORMED -> HttpStatus.BAD_REQUEST;
            case TOO_LARGE -> HttpStatus.PAYLOAD_TOO_LARGE;
            case UNSUPPORTED_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case OVERLOADED -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        ResponseEntity.BodyBuilder response = e.reason() == PredictionRejectedException.Reason.OVERLOADED
                ? retryLater(status, Duration.ofSeconds(1)) : ResponseEntity.status(status);
        return response.body(ProblemDetail.forStatusAndDetail(status, e.getMessage()));
    }

    @ExceptionHandler
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().isEnum()
                ? "one of " + List.of(e.getRequiredType().getEnumConstants())
                : "a " + e.getRequiredType().getSimpleName();
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "%s: '%s' is not %s".formatted(e.getName(), e.getValue(), expected));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex, HttpHeaders headers,
                                                                     HttpStatusCode status, WebRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String sent = ex.getContentType() != null ? "Content-Type '" + ex.getContentType() + "'"
                : header == null || header.isBlank() ? "no Content-Type" : "Content-Type '" + header + "' (not a media type)";
        String accepted = ex.getSupportedMediaTypes().stream().map(MediaType::toString).distinct().sorted()
                .collect(Collectors.joining(", "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "%s is not accepted here; send one of: %s".formatted(sent, accepted));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.UNSUPPORTED_MEDIA_TYPE, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<String> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + ": " + f.getDefaultMessage()).sorted().toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, String.join("; ", errors));
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadable(ex));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static String unreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "Unknown field '" + e.getPropertyName() + "'; the fields are: " + known;
        }
        if (cause instanceof MismatchedInputException e && !e.getPath().isEmpty()) {
            String target = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
            return "Field '" + path(e) + "' must be " + target;
        }
        if (cause instanceof StreamReadException e) {
            return "The request body is not valid JSON: " + e.getOriginalMessage();
        }
        if (cause instanceof JacksonException e) {
            return "The request body cannot be read: " + e.getOriginalMessage();
        }
        return "The request body is missing or unreadable; send a JSON object";
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String describe(@Nullable Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == float[].class) {
            return "an image: 784 numbers, or 28 rows of 28";
        }
        if (type == float[][].class) {
            return "an array of images";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a " + type.getSimpleName();
    }
}
