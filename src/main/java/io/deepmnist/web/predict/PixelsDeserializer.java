package io.deepmnist.web.predict;

import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * One image's pixels as JSON: 784 numbers row by row, or 28 rows of 28 numbers as TensorFlow Serving clients
 * send them; both come out flat. How many values there are, and their range, is checked by the predictor.
 */
final class PixelsDeserializer extends ValueDeserializer<float[]> {

    @Override
    public float[] deserialize(JsonParser p, DeserializationContext ctxt) {
        if (!p.isExpectedStartArrayToken()) {
            return (float[]) ctxt.handleUnexpectedToken(float[].class, p);
        }
        float[] values = new float[784];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.START_ARRAY) {
                for (JsonToken inner = p.nextToken(); inner != JsonToken.END_ARRAY; inner = p.nextToken()) {
                    values = put(values, n, number(p, ctxt, values, n));
                    n++;
                }
            } else {
                values = put(values, n, number(p, ctxt, values, n));
                n++;
            }
        }
        return Arrays.copyOf(values, n);
    }

    /** A number, or a string holding one ("NaN" included, which the predictor then refuses by name). */
    private static float number(JsonParser p, DeserializationContext ctxt, float[] values, int index) {
        try {
            if (p.currentToken().isNumeric()) {
                return p.getFloatValue();
            }
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    return Float.parseFloat(p.getString().strip());
                } catch (NumberFormatException notANumber) {
                    // reported below, as for any other token
                }
            }
            return (Float) ctxt.handleUnexpectedToken(float.class, p);
        } catch (JacksonException e) {
            throw JacksonException.wrapWithPath(e, values, index);
        }
    }

    private static float[] put(float[] values, int index, float value) {
        float[] out = index < values.length ? values : Arrays.copyOf(values, values.length * 2);
        out[index] = value;
        return out;
    }
}
