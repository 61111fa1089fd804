package io.deepmnist.web.protocol.oip.grpc;

import com.google.protobuf.ByteString;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.Prediction;
import io.deepmnist.inference.PredictionRejectedException;
import io.deepmnist.web.protocol.ProtocolBatch;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.InferParameter;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.InferTensorContents;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Tensors of the gRPC inference messages: the input {@code images} (FP32 in [0,1] or UINT8 0-255; {@code [N,784]},
 * {@code [N,28,28]} or {@code [N,28,28,1]}; typed contents or little-endian raw contents), and the outputs
 * {@code probabilities} (FP32 {@code [N,10]}) and {@code digits} (INT64 {@code [N]}), raw when the request's
 * {@code binary_data_output} parameter asks for it, as Triton's clients do.
 */
final class GrpcTensors {

    static final String INPUT = "images";
    static final String PROBABILITIES = "probabilities";
    static final String DIGITS = "digits";
    private static final String BINARY = "binary_data_output";

    private GrpcTensors() {
    }

    /** The request's images as pixel rows; a refusal (MALFORMED or UNPROCESSABLE) says what to send instead. */
    static ProtocolBatch batch(ModelInferRequest request) {
        if (request.getInputsCount() != 1) {
            throw ProtocolBatch.rejected("send one input, '%s': the model has one input (FP32 or UINT8, shape [N,784])", INPUT);
        }
        ModelInferRequest.InferInputTensor input = request.getInputs(0);
        if (!INPUT.equals(input.getName())) {
            throw ProtocolBatch.rejected("unknown input '%s'; the model's only input is '%s' (FP32 or UINT8, shape [N,784])",
                    input.getName(), INPUT);
        }
        long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
        long perImage = 1;
        for (int i = 1; i < shape.length; i++) {
            perImage *= Math.max(0, shape[i]);
        }
        boolean images = shape.length == 2 || shape.length == 3 || shape.length == 4 && shape[3] == 1;
        if (!images || perImage != MnistFile.PIXELS || shape[0] < 0 || shape[0] > Integer.MAX_VALUE / MnistFile.PIXELS) {
            throw ProtocolBatch.rejected("shape %s is not a batch of images: send [N,784], [N,28,28] or [N,28,28,1]",
                    Arrays.toString(shape));
        }
        int count = (int) shape[0] * MnistFile.PIXELS;
        boolean raw = request.getRawInputContentsCount() > 0;
        float[] values = switch (input.getDatatype()) {
            case "FP32" -> raw ? rawFloats(request.getRawInputContents(0), count) : floats(input.getContents(), count);
            case "UINT8" -> raw ? rawBytes(request.getRawInputContents(0), count) : uints(input.getContents(), count);
            default -> throw ProtocolBatch.rejected("datatype '%s' is not accepted for '%s'; send FP32 (pixels in [0,1]) "
                    + "or UINT8 (0-255)", input.getDatatype(), INPUT);
        };
        return ProtocolBatch.ofRows(values, (int) shape[0], false);
    }

    private static float[] floats(InferTensorContents contents, int count) {
        checkCount(contents.getFp32ContentsCount(), count, "fp32_contents");
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = checkFp32(contents.getFp32Contents(i), i);
        }
        return values;
    }

    private static float[] uints(InferTensorContents contents, int count) {
        checkCount(contents.getUintContentsCount(), count, "uint_contents");
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = checkUint8(contents.getUintContents(i), i);
        }
        return values;
    }

    private static float[] rawFloats(ByteString raw, int count) {
        checkCount(raw.size() / Float.BYTES, count, "raw_input_contents (4 bytes per FP32)");
        if (raw.size() % Float.BYTES != 0) {
            throw ProtocolBatch.rejected("raw_input_contents has %d bytes, not a whole number of FP32 values", raw.size());
        }
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = checkFp32(buffer.getFloat(), i);
        }
        return values;
    }

    private static float[] rawBytes(ByteString raw, int count) {
        checkCount(raw.size(), count, "raw_input_contents (1 byte per UINT8)");
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (raw.byteAt(i) & 0xff) / 255f;
        }
        return values;
    }

    private static void checkCount(int actual, int expected, String field) {
        if (actual != expected) {
            throw ProtocolBatch.rejected("the shape holds %d values but %s has %d", expected, field, actual);
        }
    }

    private static float checkFp32(float value, int index) {
        if (!(value >= 0 && value <= 1)) {
            throw new PredictionRejectedException(PredictionRejectedException.Reason.UNPROCESSABLE,
                    "value %d is %s; FP32 pixels are in [0,1] (send 0-255 as UINT8)".formatted(index, value));
        }
        return value;
    }

    private static float checkUint8(int value, int index) {
        if (value < 0 || value > 255) {
            throw new PredictionRejectedException(PredictionRejectedException.Reason.UNPROCESSABLE,
                    "value %d is %d; UINT8 pixels are 0-255".formatted(index, Integer.toUnsignedLong(value)));
        }
        return value / 255f;
    }

    /** The outputs the request names, in its order; both when it names none. */
    static List<String> outputs(ModelInferRequest request) {
        if (request.getOutputsCount() == 0) {
            return List.of(PROBABILITIES, DIGITS);
        }
        List<String> names = new ArrayList<>();
        for (ModelInferRequest.InferRequestedOutputTensor output : request.getOutputsList()) {
            if (!PROBABILITIES.equals(output.getName()) && !DIGITS.equals(output.getName())) {
                throw ProtocolBatch.rejected("unknown output '%s'; the outputs are '%s' (FP32 [N,10]) and '%s' (INT64 [N])",
                        output.getName(), PROBABILITIES, DIGITS);
            }
            if (!names.contains(output.getName())) {
                names.add(output.getName());
            }
        }
        return names;
    }

    /** Raw outputs when the request (or any of its outputs) sets {@code binary_data_output}. */
    static boolean binaryOutput(ModelInferRequest request) {
        return isTrue(request.getParametersMap())
                || request.getOutputsList().stream().anyMatch(o -> isTrue(o.getParametersMap()));
    }

    private static boolean isTrue(Map<String, InferParameter> parameters) {
        InferParameter parameter = parameters.get(BINARY);
        return parameter != null && parameter.getBoolParam();
    }

    static void addOutputs(ModelInferResponse.Builder response, List<Prediction> predictions, List<String> outputs, boolean raw) {
        int n = predictions.size();
        for (String name : outputs) {
            ModelInferResponse.InferOutputTensor.Builder tensor = response.addOutputsBuilder().setName(name);
            // One form only: raw little-endian bytes when asked for, else the typed contents.
            if (PROBABILITIES.equals(name)) {
                tensor.setDatatype("FP32").addShape(n).addShape(MnistFile.CLASSES);
                if (raw) {
                    ByteBuffer bytes = ByteBuffer.allocate(n * MnistFile.CLASSES * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    for (Prediction p : predictions) {
                        for (float value : p.probabilities()) {
                            bytes.putFloat(value);
                        }
                    }
                    response.addRawOutputContents(ByteString.copyFrom(bytes.array()));
                } else {
                    InferTensorContents.Builder contents = tensor.getContentsBuilder();
                    predictions.forEach(p -> {
                        for (float value : p.probabilities()) {
                            contents.addFp32Contents(value);
                        }
                    });
                }
            } else {
                tensor.setDatatype("INT64").addShape(n);
                if (raw) {
                    ByteBuffer bytes = ByteBuffer.allocate(n * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    predictions.forEach(p -> bytes.putLong(p.digit()));
                    response.addRawOutputContents(ByteString.copyFrom(bytes.array()));
                } else {
                    predictions.forEach(p -> tensor.getContentsBuilder().addInt64Contents(p.digit()));
                }
            }
        }
    }
}
