package io.deepmnist.web.protocol;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.PredictionProtocol;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import io.deepmnist.inference.PredictionRejectedException;
import io.deepmnist.inference.Predictor.ImageInput;
import io.deepmnist.inference.Predictor;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The images of one request in either standard protocol: pixel rows (the model's input tensor, in [0,1]) or
 * encoded images (PNG, JPEG, ...), which go through the same preprocessing as {@code /predict}.
 */
public record ProtocolBatch(float[][] rows, List<ImageInput> images, boolean preprocess) {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public static ProtocolBatch ofRows(float[] values, int count, boolean preprocess) {
        float[][] rows = new float[count][MnistFile.PIXELS];
        for (int r = 0; r < count; r++) {
            System.arraycopy(values, r * MnistFile.PIXELS, rows[r], 0, MnistFile.PIXELS);
        }
        return new ProtocolBatch(rows, null, preprocess);
    }

    public static ProtocolBatch ofImages(List<ImageInput> images, boolean preprocess) {
        return new ProtocolBatch(null, images, preprocess);
    }

    int size() {
        return rows != null ? rows.length : images.size();
    }

    public Predictor.Result predict(Predictor predictor, PredictionProtocol protocol, String modelId) {
        return rows != null ? predictor.predictPixels(protocol, modelId, rows, preprocess)
                : predictor.predictImages(protocol, modelId, images, preprocess);
    }

    /** An encoded image sent as base64 text (standard or URL-safe alphabet, padding optional). */
    public static ImageInput decodeImage(JsonNode text, String name) {
        if (!text.isString()) {
            throw rejected("%s must be a string: an image file (PNG, JPEG, GIF, BMP) in base64", name);
        }
        String value = WHITESPACE.matcher(text.asString()).replaceAll("");
        if (value.isEmpty()) {
            throw rejected("%s is empty; send an image file in base64", name);
        }
        try {
            byte[] bytes = value.indexOf('-') >= 0 || value.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(value) : Base64.getDecoder().decode(value);
            return new ImageInput(name, bytes);
        } catch (IllegalArgumentException e) {
            throw rejected("%s is not base64 (%s); send the image file's bytes in base64", name, e.getMessage());
        }
    }

    /**
     * The body as JSON, whatever its Content-Type says: TF Serving's own examples use {@code curl -d}, which
     * sends {@code application/x-www-form-urlencoded}.
     */
    public static JsonNode readJson(JsonMapper json, HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        if (body.length == 0) {
            throw rejected("The request body is empty; send a JSON object");
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw rejected("The request body is not JSON: %s", e.getOriginalMessage());
        }
    }

    public static PredictionRejectedException rejected(String format, Object... args) {
        return new PredictionRejectedException(Reason.MALFORMED, format.formatted(args));
    }
}
