package io.deepmnist.web.openapi;

import io.deepmnist.web.http.ApiKeyInterceptor;
import io.deepmnist.web.http.RequestPaths;
import io.deepmnist.web.jobs.JobView;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.servers.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the annotations cannot say well, for every operation: the errors it really answers with (as problem
 * details), an example of its success answer (recorded from the running service, under
 * {@code resources/openapi}), and whether it needs the API key.
 */
@Component
class OperationDocumentation implements GlobalOpenApiCustomizer {

    static final String BEARER = "bearer";
    static final String API_KEY = "apiKey";
    private static final String PROBLEM = "application/problem+json";

    record Problem(String code, String description, String detail) {
    }

    private static final Problem BAD_JOB = new Problem("400", "Invalid input, or parts that do not fit together; the detail "
            + "names the field", "steps: must be less than or equal to 1000000");
    private static final Problem JOB_ALIAS = new Problem("409", "The alias asked for is a model's id, or one alias too many",
            "'cnn-20261127-093717-7afa' is a model's id and cannot be an alias; choose another name.");
    private static final Problem BAD_QUERY = new Problem("400", "A query parameter is not valid",
            "state: 'DONE' is not one of [QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED]");
    private static final Problem UNAUTHORIZED = new Problem("401", "An API key is configured and the request has none, or a "
            + "wrong one", "This request needs the API key: send Authorization: Bearer <key> or X-API-Key: <key>");
    private static final Problem NO_JOB = new Problem("404", "No such job", "There is no job 'abc'; GET /jobs lists the jobs there are.");
    private static final Problem JOB_STATE = new Problem("409", "Not allowed in the job's state",
            "Job 1f0e4b2c is RUNNING and cannot be deleted; cancel it first (POST /jobs/1f0e4b2c/cancel)");
    private static final Problem NOT_JSON = new Problem("415", "The body is not JSON",
            "Content-Type 'text/plain' is not accepted here; send one of: application/json");
    private static final Problem QUEUE_FULL = new Problem("429", "The queue is full; Retry-After says when to try again",
            "16 jobs are queued already, the queue's capacity; try again later");
    private static final Problem NO_MODEL = new Problem("404", "No such model",
            "There is no model 'cnn-x'; GET /models lists the models there are.");
    private static final Problem MODEL_IN_USE = new Problem("409", "An alias names the model (the default among them)",
            "Model cnn-20261127-093717-7afa is the default model for predictions; promote another one first (POST /models/{id}/promote).");
    private static final Problem BAD_ALIAS = new Problem("400", "Not a valid alias or body",
            "'Bad Name' is not a valid alias: use 1-32 lower-case letters, digits, '-' or '_', starting with a letter (such as 'challenger').");
    private static final Problem ALIAS_CONFLICT = new Problem("409", "The name is taken, or the alias is in use",
            "The traffic policy uses the alias 'challenger'; change it first (PUT or DELETE /models/traffic).");
    private static final Problem NO_ALIAS = new Problem("404", "No such alias, or no such model",
            "There is no alias 'challenger'; GET /models/aliases lists them.");
    private static final Problem BAD_DIGIT = new Problem("400", "Not a digit from 0 to 9",
            "send the digit the image shows, 0 to 9: {\"digit\": 7}");
    private static final Problem NO_PREDICTION = new Problem("404", "No such logged prediction",
            "There is no logged prediction '0b6f2a3e-5d1c-4e8a-9f17-2c4d6e8fa0b1': the id is unknown, or the log no longer keeps it "
            + "(mnist.feedback.max-entries, max-age).");
    private static final Problem BAD_BUCKET = new Problem("400", "Not a bucket size", "bucket: 'week' is not minute, hour or day");
    private static final Problem BAD_POLICY = new Problem("400", "Not a valid policy",
            "The weights add up to 110; they are percentages of the traffic and must add up to 100, such as 90 and 10.");
    private static final Problem PREDICT_KEY = new Problem("401", "Only with mnist.security.protect-predict: the request has "
            + "no API key, or a wrong one", UNAUTHORIZED.detail());

    private static final Map<String, List<Problem>> ERRORS = Map.ofEntries(
            Map.entry("post /jobs", List.of(BAD_JOB, UNAUTHORIZED, JOB_ALIAS, NOT_JSON, QUEUE_FULL)),
            Map.entry("get /jobs", List.of(BAD_QUERY)),
            Map.entry("get /jobs/{id}", List.of(NO_JOB)),
            Map.entry("delete /jobs/{id}", List.of(UNAUTHORIZED, NO_JOB, JOB_STATE)),
            Map.entry("post /jobs/{id}/cancel", List.of(UNAUTHORIZED, NO_JOB, JOB_STATE)),
            Map.entry("post /jobs/{id}/resume", List.of(UNAUTHORIZED, NO_JOB, JOB_STATE, QUEUE_FULL)),
            Map.entry("get /jobs/{id}/checkpoints", List.of(NO_JOB)),
            Map.entry("get /jobs/{id}/events", List.of(NO_JOB)),
            Map.entry("get /models", List.of()),
            Map.entry("get /models/{id}", List.of(NO_MODEL)),
            Map.entry("delete /models/{id}", List.of(UNAUTHORIZED, NO_MODEL, MODEL_IN_USE)),
            Map.entry("post /models/{id}/promote", List.of(UNAUTHORIZED, NO_MODEL)),
            Map.entry("put /models/aliases/{alias}", List.of(BAD_ALIAS, UNAUTHORIZED, NO_ALIAS, ALIAS_CONFLICT)),
            Map.entry("delete /models/aliases/{alias}", List.of(UNAUTHORIZED, NO_ALIAS, ALIAS_CONFLICT)),
            Map.entry("put /models/traffic", List.of(BAD_POLICY, UNAUTHORIZED, NO_ALIAS)),
            Map.entry("delete /models/traffic", List.of(UNAUTHORIZED)),
            Map.entry("post /predictions/{predictionId}/feedback", List.of(BAD_DIGIT, PREDICT_KEY, NO_PREDICTION)),
            Map.entry("get /models/{id}/feedback", List.of(NO_MODEL)),
            Map.entry("get /models/{id}/feedback/history", List.of(BAD_BUCKET, NO_MODEL)),
            Map.entry("post /predict", List.of(PREDICT_KEY)),
            Map.entry("post /models/{id}/predict", List.of(PREDICT_KEY)));

    private static final Map<String, String> EXAMPLES = Map.ofEntries(
            Map.entry("get /models/aliases", "aliases.json"),
            Map.entry("put /models/aliases/{alias}", "alias.json"),
            Map.entry("get /models/traffic", "traffic.json"),
            Map.entry("put /models/traffic", "traffic.json"),
            Map.entry("get /models/traffic/shadow", "shadow.json"),
            Map.entry("post /predictions/{predictionId}/feedback", "labelled.json"),
            Map.entry("get /models/{id}/feedback", "feedback.json"),
            Map.entry("get /models/{id}/feedback/history", "feedback-history.json"),
            Map.entry("post /jobs", "job-queued.json"),
            Map.entry("get /jobs", "job-page.json"),
            Map.entry("get /jobs/{id}", "job.json"),
            Map.entry("post /jobs/{id}/cancel", "job.json"),
            Map.entry("post /jobs/{id}/resume", "job-queued.json"),
            Map.entry("get /jobs/{id}/checkpoints", "checkpoints.json"),
            Map.entry("get /models", "models.json"),
            Map.entry("get /models/{id}", "model.json"),
            Map.entry("post /models/{id}/promote", "model.json"));

    /** Fields that are null until the job reaches them (and checkpoints in lists); a record's schema does not say so. */
    private static final Map<String, List<String>> NULLABLE = Map.of("JobView", List.of("device", "node",
            "trainingAccuracy", "loss", "examplesPerSecond", "validationAccuracy", "testAccuracy", "startedAt", "finishedAt",
            "error", "checkpoints", "modelId"), "TrafficPolicy", List.of("stickyHeader", "shadow"), "FeedbackAccuracy", List.of("accuracy"));

    private final JsonMapper json;

    OperationDocumentation(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.setServers(List.of(new Server().url("/").description("this service")));
        if (openApi.getPaths().keySet().stream().anyMatch(p -> !RequestPaths.isProtocol(p))) {
            openApi.getComponents().addSchemas("Problem", problemSchema());
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        NULLABLE.forEach((name, fields) -> {
            if (schemas != null && schemas.containsKey(name)) {
                Map<String, Schema> properties = schemas.get(name).getProperties();
                fields.forEach(field -> properties.get(field).addType("null"));
            }
        });
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String key = method.name().toLowerCase() + " " + path;
            ERRORS.getOrDefault(key, List.of()).forEach(p -> operation.getResponses().addApiResponse(p.code(), response(p)));
            String example = EXAMPLES.get(key);
            if (example != null) {
                successMedia(operation).setExample(read(example));
            }
            operation.setSecurity(security(method, path));
        }));
    }

    private static List<SecurityRequirement> security(PathItem.HttpMethod method, String path) {
        SecurityRequirement bearer = new SecurityRequirement().addList(BEARER);
        SecurityRequirement apiKey = new SecurityRequirement().addList(API_KEY);
        if (ApiKeyInterceptor.isPredictionTemplate(path)) {
            return List.of(new SecurityRequirement(), bearer, apiKey); // open unless protect-predict is set
        }
        return method == PathItem.HttpMethod.GET ? List.of(new SecurityRequirement()) : List.of(bearer, apiKey);
    }

    private static MediaType successMedia(Operation operation) {
        return operation.getResponses().entrySet().stream().filter(e -> e.getKey().startsWith("2"))
                .map(e -> e.getValue().getContent()).filter(c -> c != null && !c.isEmpty())
                .map(c -> c.values().iterator().next()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no success content for " + operation.getOperationId()));
    }

    /** An example recorded from the running service, under {@code resources/openapi}. */
    Object read(String name) {
        try (InputStream in = getClass().getResourceAsStream("/openapi/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing example resource openapi/" + name);
            }
            return json.readValue(in, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiResponse response(Problem problem) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", "about:blank");
        example.put("title", switch (problem.code()) {
            case "400" -> "Bad Request";
            case "401" -> "Unauthorized";
            case "404" -> "Not Found";
            case "409" -> "Conflict";
            case "415" -> "Unsupported Media Type";
            default -> "Too Many Requests";
        });
        example.put("status", Integer.parseInt(problem.code()));
        example.put("detail", problem.detail());
        ApiResponse response = new ApiResponse().description(problem.description()).content(new Content().addMediaType(PROBLEM,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")).example(example)));
        if (problem == QUEUE_FULL) {
            response.addHeaderObject("Retry-After", new Header().description("Seconds to wait before submitting again")
                    .schema(new IntegerSchema()));
        }
        return response;
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema().description("An RFC 9457 problem detail: what went wrong and what to do")
                .addProperty("type", new StringSchema().example("about:blank"))
                .addProperty("title", new StringSchema().example("Not Found"))
                .addProperty("status", new IntegerSchema().example(404))
                .addProperty("detail", new StringSchema().description("What to fix, in words"))
                .addProperty("instance", new StringSchema().description("The request's path"));
    }
}
