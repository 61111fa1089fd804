package io.deepmnist.web.protocol.oip;

import static io.deepmnist.web.protocol.ProtocolBatch.rejected;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import io.deepmnist.inference.PredictionRejectedException;
import io.deepmnist.inference.Predictor.ImageInput;
import io.deepmnist.web.protocol.ProtocolBatch;
import io.deepmnist.web.protocol.RequestIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An Open Inference Protocol inference request, checked against the model: one input {@code images} (FP32
 * pixels in [0,1], UINT8 0-255, or BYTES: encoded images in base64) and the outputs {@code probabilities}
 * and, on request, {@code digits}. Every refusal says what to send instead.
 */
record OipInferRequest(String id, ProtocolBatch batch, List<String> outputs) {

    static final String INPUT = MnistModel.IMAGES;
    static final String PROBABILITIES = MnistModel.PROBABILITIES;
    static final String DIGITS = "digits";
    private static final String TYPES = "FP32 (pixels in [0,1]), UINT8 (0-255) or BYTES (image files in base64)";

    static OipInferRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw rejected("The request body must be a JSON object with \"inputs\" (the Open Inference Protocol's inference request)");
        }
        JsonNode id = body.get("id");
        if (id != null && !id.isString()) {
            throw rejected("\"id\" must be a string");
        }
        Boolean preprocess = preprocess(body.get("parameters"), "parameters");
        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.size() != 1 || !inputs.get(0).isObject()) {
            throw rejected("\"inputs\" must be an array of one input, named '%s': the model has one input", INPUT);
        }
        JsonNode input = inputs.get(0);
        String name = input.path("name").asString("");
        if (!INPUT.equals(name)) {
            throw rejected("Unknown input '%s'; the model's only input is '%s' (%s, shape [-1,784])", name, INPUT, TYPES);
        }
        Boolean inputPreprocess = preprocess(input.get("parameters"), "inputs[0].parameters");
        if (inputPreprocess != null) {
            preprocess = inputPreprocess;
        }
        long[] shape = shape(input.get("shape"));
        JsonNode data = input.get("data");
        if (data == null || data.isNull()) {
            throw rejected("inputs[0] has no \"data\"");
        }
        String datatype = input.path("datatype").asString("");
        ProtocolBatch batch = switch (datatype) {
            case "FP32", "UINT8" -> tensor(datatype, shape, data, preprocess != null && preprocess);
            case "BYTES" -> images(shape, data, preprocess == null || preprocess);
            default -> throw rejected("datatype '%s' is not accepted for '%s'; send %s", datatype, INPUT, TYPES);
        };
        return new OipInferRequest(id != null ? id.asString() : RequestIds.next(), batch, outputs(body.get("outputs")));
    }

    private static ProtocolBatch tensor(String datatype, long[] shape, JsonNode data, boolean preprocess) {
        long perImage = 1;
        for (int i = 1; i < shape.length; i++) {
            perImage = Math.min(perImage * shape[i], Integer.MAX_VALUE);
        }
        if (shape.length < 2 || perImage != MnistFile.PIXELS) {
            throw rejected("shape %s is not a batch of images: send [N,784] (or [N,28,28])", Arrays.toString(shape));
        }
        int count = countLeaves(data);
        if (shape[0] * MnistFile.PIXELS != count) {
            throw rejected("shape %s holds %d values but \"data\" has %d", Arrays.toString(shape),
                    shape[0] * MnistFile.PIXELS, count);
        }
        float[] values = new float[count];
        int[] next = {0};
        collect(data, values, next, "UINT8".equals(datatype));
        return ProtocolBatch.ofRows(values, (int) shape[0], preprocess);
    }

    private static ProtocolBatch images(long[] shape, JsonNode data, boolean preprocess) {
        if (shape.length == 0 || shape.length > 2 || shape.length == 2 && shape[1] != 1) {
            throw rejected("shape %s is not a list of images: BYTES take the shape [N] (or [N,1]), one image file each",
                    Arrays.toString(shape));
        }
        List<JsonNode> elements = new ArrayList<>();
        flatten(data, elements);
        if (elements.size() != shape[0]) {
            throw rejected("shape %s holds %d images but \"data\" has %d", Arrays.toString(shape), shape[0], elements.size());
        }
        List<ImageInput> images = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            images.add(ProtocolBatch.decodeImage(elements.get(i), "images[" + i + "]"));
        }
        return ProtocolBatch.ofImages(images, preprocess);
    }

    private static long[] shape(JsonNode shape) {
        if (shape == null || !shape.isArray()) {
            throw rejected("inputs[0] has no \"shape\"; the model's input is [-1,784]");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode dim = shape.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.asLong() < 0) {
                throw rejected("shape[%d] is %s; a dimension is a whole number, 0 or more", i, dim);
            }
            dims[i] = Math.min(dim.asLong(), Integer.MAX_VALUE);
        }
        return dims;
    }

    private static int countLeaves(JsonNode node) {
        if (!node.isArray()) {
            return 1;
        }
        int count = 0;
        for (JsonNode child : node) {
            count += countLeaves(child);
        }
        return count;
    }

    private static void collect(JsonNode node, float[] out, int[] next, boolean uint8) {
        if (node.isArray()) {
            for (JsonNode child : node) {
                collect(child, out, next, uint8);
            }
            return;
        }
        int index = next[0]++;
        if (!node.isNumber()) {
            throw rejected("data[%d] is %s; %s elements are numbers", index, node.getNodeType(), uint8 ? "UINT8" : "FP32");
        }
        double value = node.asDouble();
        if (uint8 ? value < 0 || value > 255 || value != Math.rint(value) : !(value >= 0 && value <= 1)) {
            throw new PredictionRejectedException(Reason.UNPROCESSABLE, uint8
                    ? "data[%d] is %s; UINT8 pixels are whole numbers 0-255".formatted(index, node)
                    : "data[%d] is %s; FP32 pixels are in [0,1] (send 0-255 as UINT8)".formatted(index, node));
        }
        out[index] = uint8 ? (float) value / 255f : (float) value;
    }

    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node);
        }
    }

    private static Boolean preprocess(JsonNode parameters, String where) {
        if (parameters == null || parameters.isNull()) {
            return null;
        }
        if (!parameters.isObject()) {
            throw rejected("\"%s\" must be an object of parameters", where);
        }
        JsonNode value = parameters.get("preprocess");
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw rejected("%s.preprocess must be true or false", where);
        }
        return value.asBoolean();
    }

    private static List<String> outputs(JsonNode outputs) {
        if (outputs == null || outputs.isNull()) {
            return List.of(PROBABILITIES);
        }
        if (!outputs.isArray() || outputs.isEmpty()) {
            throw rejected("\"outputs\" must be a list of outputs, such as [{\"name\":\"%s\"}]", PROBABILITIES);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode output : outputs) {
            String name = output.path("name").asString("");
            if (!PROBABILITIES.equals(name) && !DIGITS.equals(name)) {
                throw rejected("Unknown output '%s'; the outputs are '%s' (FP32 [-1,10]) and '%s' (INT64 [-1])", name, PROBABILITIES, DIGITS);
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
