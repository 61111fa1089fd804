package io.deepmnist.web.openapi;

import io.deepmnist.web.predict.PredictRequest;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String BEARER = OperationDocumentation.BEARER;
    private static final String API_KEY = OperationDocumentation.API_KEY;

    @Bean
    OpenAPI deepMnistOpenApi() {
        return new OpenAPI()
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("The API key (mnist.security.api-key / MNIST_API_KEY) as a bearer token"))
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key").description("The API key in X-API-Key")))
                .info(new Info()
                .title("deep-mnist-service")
                .version("v1")
                .description("""
                        TensorFlow's "Deep MNIST for Experts" as a service: train the tutorial's softmax regression and \
                        deep CNN as asynchronous jobs, follow them live over server-sent events, and keep their \
                        checkpoints and models. Errors are RFC 9457 problem details (application/problem+json).""")
                .license(new License().name("Apache License 2.0").identifier("Apache-2.0")));
    }

    /** Swagger UI's drop-down: our own API, and each standard protocol on its own. */
    @Bean
    GroupedOpenApi ownApiGroup() {
        return GroupedOpenApi.builder().group("deep-mnist").displayName("deep-mnist-service API")
                .pathsToExclude("/v2", "/v2/**", "/v1/models/**").build();
    }

    @Bean
    GroupedOpenApi openInferenceProtocolGroup() {
        return GroupedOpenApi.builder().group("open-inference-protocol").displayName("Open Inference Protocol (KServe V2)")
                .pathsToMatch("/v2", "/v2/**").build();
    }

    @Bean
    GroupedOpenApi tensorflowServingGroup() {
        return GroupedOpenApi.builder().group("tensorflow-serving").displayName("TensorFlow Serving REST")
                .pathsToMatch("/v1/models/**").build();
    }

    /**
     * The predict endpoints are three handlers on one path (multipart, raw image, JSON); springdoc merges them
     * and drops the raw image types and the JSON examples, so the request body is described here once.
     */
    @Bean
    GlobalOpenApiCustomizer predictRequestBodies() {
        return openApi -> openApi.getPaths().forEach((path, item) -> {
            if (path.endsWith("/predict") && item.getPost() != null) {
                item.getPost().summary("Which digit is this? Send images, a raw image, or MNIST-format pixels")
                        .description("""
                                Images (PNG, JPEG, GIF, BMP) of any size and colours are turned into MNIST images first \
                                (see ?preprocess); all images of a request run as one batch. Examples: \
                                curl -F image=@docs/samples/seven.png localhost:8080/predict ; \
                                curl -H 'Content-Type: image/png' --data-binary @docs/samples/seven.png localhost:8080/predict . \
                                JSON pixels (784 values, or 28 rows of 28) take the same preprocessing: black ink on white \
                                is inverted, cropped and centred; MNIST-format pixels are used as sent.""")
                        .setRequestBody(predictBody());
            }
        });
    }

    private static RequestBody predictBody() {
        Content content = new Content();
        content.addMediaType("multipart/form-data", new MediaType().schema(new ObjectSchema()
                .addProperty("image", new ArraySchema().items(new BinarySchema()))
                .addRequiredItem("image")
                .description("One or more images, each in a part named 'image'")));
        for (String type : List.of("image/png", "image/jpeg", "image/gif", "image/bmp")) {
            content.addMediaType(type, new MediaType().schema(new BinarySchema().description("The image itself as the body")));
        }
        content.addMediaType("application/json", new MediaType()
                .schema(new Schema<>().$ref("#/components/schemas/PredictRequest"))
                .addExamples("one image", new Example().summary("pixels: 784 values, row by row")
                        .value(Map.of("pixels", Collections.nCopies(784, 0))))
                .addExamples("a batch", new Example().summary("instances: several images")
                        .value(Map.of("instances", List.of(Collections.nCopies(784, 0), Collections.nCopies(784, 255))))));
        return new RequestBody().required(true).content(content)
                .description("An image upload, a raw image, or MNIST-format pixels as JSON");
    }
}
