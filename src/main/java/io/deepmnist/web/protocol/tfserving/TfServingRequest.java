package io.deepmnist.web.protocol.tfserving;

import static io.deepmnist.web.protocol.ProtocolBatch.rejected;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.inference.Predictor.ImageInput;
import io.deepmnist.web.protocol.ProtocolBatch;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A TensorFlow Serving {@code :predict} request in the row format ({@code instances}) or the columnar format
 * ({@code inputs}). Each image is 784 pixels (flat, or 28 rows of 28) or an image file as {@code {"b64": ...}};
 * with the signature's one input, an instance may also name it: {@code {"images": ...}}.
 */
record TfServingRequest(boolean columnar, ProtocolBatch batch) {

    static final String INPUT = MnistModel.IMAGES;

    static TfServingRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw rejected("The request body must be a JSON object with \"instances\" (row format) or \"inputs\" (columnar format)");
        }
        JsonNode signature = body.get("signature_name");
        if (signature != null && !(signature.isString() && (signature.asString().isEmpty()
                || signature.asString().equals(MnistModel.SERVING_SIGNATURE)))) {
            throw rejected("Serving signature name: %s not found in signature def; the model has '%s'", signature,
                    MnistModel.SERVING_SIGNATURE);
        }
        JsonNode instances = body.get("instances");
        JsonNode inputs = body.get("inputs");
        if ((instances == null) == (inputs == null)) {
            throw rejected("Send either \"instances\" (row format) or \"inputs\" (columnar format), not both or neither");
        }
        if (instances != null) {
            if (!instances.isArray()) {
                throw rejected("\"instances\" must be a list of images");
            }
            return new TfServingRequest(false, batch(instances, "instances", true));
        }
        return new TfServingRequest(true, batch(unnamed(inputs, "inputs"), "inputs", false));
    }

    /** The value of the one input: bare, or in an object that names it. */
    private static JsonNode unnamed(JsonNode value, String where) {
        if (value.isObject() && !value.has("b64")) {
            if (value.size() != 1 || !value.has(INPUT)) {
                throw rejected("%s names the input(s) %s; the model's only input is '%s'", where, value.propertyNames(), INPUT);
            }
            return value.get(INPUT);
        }
        return value;
    }

    private static ProtocolBatch batch(JsonNode list, String where, boolean rows) {
        if (!list.isArray()) {
            throw rejected("%s must be a list of images (a batch), each 784 pixels or {\"b64\": ...}", where);
        }
        List<ImageInput> images = new ArrayList<>();
        float[] pixels = new float[list.size() * MnistFile.PIXELS];
        int count = 0;
        for (JsonNode element : list) {
            String name = where + "[" + count + "]";
            JsonNode image = rows ? unnamed(element, name) : element;
            if (image.isObject() && image.has("b64")) {
                images.add(ProtocolBatch.decodeImage(image.get("b64"), name + ".b64"));
            } else {
                pixels(image, name, pixels, count * MnistFile.PIXELS);
            }
            count++;
        }
        if (!images.isEmpty() && images.size() != count) {
            throw rejected("%s mixes image files ({\"b64\": ...}) and pixel arrays; send one kind per request", where);
        }
        return images.isEmpty() ? ProtocolBatch.ofRows(pixels, count, false) : ProtocolBatch.ofImages(images, true);
    }

    private static void pixels(JsonNode image, String name, float[] out, int offset) {
        List<JsonNode> values = new ArrayList<>(MnistFile.PIXELS);
        flatten(image, values, MnistFile.PIXELS + 1);
        if (!image.isArray() || values.size() != MnistFile.PIXELS) {
            throw rejected("%s is not an image: send 784 numbers (or 28 rows of 28), or {\"b64\": \"<image file in base64>\"}", name);
        }
        for (int i = 0; i < MnistFile.PIXELS; i++) {
            JsonNode value = values.get(i);
            if (!value.isNumber()) {
                throw rejected("%s[%d] is %s; pixels are numbers", name, i, value.getNodeType());
            }
            out[offset + i] = value.floatValue();
        }
    }

    private static void flatten(JsonNode node, List<JsonNode> out, int limit) {
        if (node.isArray()) {
            for (JsonNode child : node) {
                if (out.size() >= limit) {
                    return;
                }
                flatten(child, out, limit);
            }
        } else {
            out.add(node);
        }
    }
}
