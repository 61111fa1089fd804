package io.deepmnist.web.predict;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import io.deepmnist.inference.PredictionRejectedException;
import io.deepmnist.inference.Predictor.ImageInput;
import io.deepmnist.inference.Predictor;
import io.deepmnist.inference.TrafficRouter.Routed;
import io.deepmnist.web.http.ModelRouting;
import io.deepmnist.web.http.PredictionEndpoint;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@Tag(name = "Predictions", description = "Which digit is this? For photos, scans and drawings, or MNIST-format pixels")
@PredictionProblemResponses
@PredictionEndpoint
class PredictController {

    private final Predictor predictor;
    private final ModelRouting routing;

    PredictController(Predictor predictor, ModelRouting routing) {
        this.predictor = predictor;
        this.routing = routing;
    }

    @PostMapping(path = {"/predict", "/models/{id}/predict"}, consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict the digits in uploaded images (one or more parts named 'image')",
            description = "PNG, JPEG, GIF or BMP; any size and colours: each image is turned into an MNIST image first. "
                    + "Example: curl -F image=@docs/samples/seven.png localhost:8080/predict")
    PredictResponse multipart(@PathVariable(required = false) String id,
                              @RequestPart("image") List<MultipartFile> image,
                              @Parameter(description = "false: the images are already 28x28 MNIST format") @RequestParam(defaultValue = "true") boolean preprocess,
                              @Parameter(description = "true: also return the 28x28 pixels the model saw") @RequestParam(defaultValue = "false") boolean explain,
                              HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        List<ImageInput> inputs = new ArrayList<>();
        for (int i = 0; i < image.size(); i++) {
            MultipartFile part = image.get(i);
            String name = "image " + (i + 1) + (part.getOriginalFilename() == null ? "" : " (" + part.getOriginalFilename() + ")");
            inputs.add(new ImageInput(name, part.getBytes()));
        }
        Routed routed = routing.route(id, request);
        return respond(predictor.predictImages(routed.model(), inputs, preprocess), explain, routed, request, response);
    }

    @PostMapping(path = {"/predict", "/models/{id}/predict"},
            consumes = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE, MediaType.IMAGE_GIF_VALUE, "image/bmp"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict the digit in a raw image body",
            description = "Example: curl -H 'Content-Type: image/png' --data-binary @docs/samples/seven.png localhost:8080/predict")
    PredictResponse rawImage(@PathVariable(required = false) String id, HttpServletRequest request,
                             @RequestParam(defaultValue = "true") boolean preprocess,
                             @RequestParam(defaultValue = "false") boolean explain, HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        Routed routed = routing.route(id, request);
        return respond(predictor.predictImages(routed.model(), List.of(new ImageInput("the image", body)), preprocess), explain,
                routed, request, response);
    }

    @PostMapping(path = {"/predict", "/models/{id}/predict"}, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict digits from pixels sent as JSON")
    @ApiResponse(responseCode = "200", description = "The digits, their confidence and all ten probabilities",
            content = @Content(schema = @Schema(implementation = PredictResponse.class), examples = @ExampleObject(value =
            "{\"modelId\":\"cnn-20261126-120000-a1b2\",\"predictions\":[{\"digit\":7,\"confidence\":0.998,"
                    + "\"probabilities\":[0.0,0.0,0.001,0.0,0.0,0.0,0.0,0.998,0.0,0.001],"
                    + "\"predictionId\":\"0b6f2a3e-5d1c-4e8a-9f17-2c4d6e8fa0b1\"}]}")))
    PredictResponse pixels(@PathVariable(required = false) String id, @RequestBody PredictRequest request,
                           @Parameter(description = "false: the pixels are already MNIST format and are used as sent")
                           @RequestParam(defaultValue = "true") boolean preprocess,
                           @RequestParam(defaultValue = "false") boolean explain,
                           HttpServletRequest http, HttpServletResponse response) {
        if ((request.pixels() == null) == (request.instances() == null)) {
            throw new PredictionRejectedException(Reason.MALFORMED, "send either \"pixels\" (one image) or \"instances\" (several), not both or neither");
        }
        float[][] rows = request.pixels() != null ? new float[][] {request.pixels()} : request.instances();
        Routed routed = routing.route(id, http);
        return respond(predictor.predictPixels(routed.model(), rows, preprocess), explain, routed, http, response);
    }

    private PredictResponse respond(Predictor.Result result, boolean explain, Routed routed, HttpServletRequest request,
                                    HttpServletResponse response) {
        List<String> ids = routing.answered(request, response, result, routed);
        List<float[]> inputs = null;
        if (explain) {
            inputs = new ArrayList<>();
            for (int i = 0; i < result.predictions().size(); i++) {
                float[] one = new float[MnistFile.PIXELS];
                System.arraycopy(result.inputs(), i * MnistFile.PIXELS, one, 0, MnistFile.PIXELS);
                inputs.add(one);
            }
        }
        List<PredictedDigit> predictions = new ArrayList<>(result.predictions().size());
        for (int i = 0; i < result.predictions().size(); i++) {
            predictions.add(PredictedDigit.of(result.predictions().get(i), ids.isEmpty() ? null : ids.get(i)));
        }
        return new PredictResponse(result.modelId(), predictions, inputs);
    }
}
