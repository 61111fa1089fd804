package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.Digits;
import io.deepmnist.inference.TrainedModels;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/** The probe digits written as the protocols' JSON, and the check that answers match the engine's own. */
final class ProtocolBodies {

    static final float[] IMAGES = TrainedModels.probeImages();

    private ProtocolBodies() {
    }

    /** Image {@code index} as 784 numbers: in [0,1], or as whole numbers 0-255; flat or as 28 rows of 28. */
    static String pixels(int index, boolean bytes, boolean nested) {
        return pixels(IMAGES, index, bytes, nested);
    }

    /** As {@link #pixels(int, boolean, boolean)}, for image {@code index} of other images (784 floats each). */
    static String pixels(float[] images, int index, boolean bytes, boolean nested) {
        StringBuilder json = new StringBuilder("[");
        for (int p = 0; p < MnistFile.PIXELS; p++) {
            if (nested && p % 28 == 0) {
                json.append(p == 0 ? "[" : "],[");
            } else if (p > 0) {
                json.append(',');
            }
            float v = images[index * MnistFile.PIXELS + p];
            json.append(bytes ? Integer.toString(Math.round(v * 255)) : Float.toString(v));
        }
        return json.append(nested ? "]]" : "]").toString();
    }

    /** The first {@code count} images, joined as a JSON list (or, {@code flat}, as one list of all values). */
    static String batch(int count, boolean bytes, boolean nested, boolean flat) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            String one = pixels(i, bytes, nested);
            json.append(i == 0 ? "" : ",").append(flat ? one.substring(1, one.length() - 1) : one);
        }
        return json.append(']').toString();
    }

    /** Images {@code first} to {@code first + count - 1} of {@code images}, flat, in [0,1], as a JSON list. */
    static String rows(float[] images, int first, int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = first; i < first + count; i++) {
            json.append(i == first ? "" : ",").append(pixels(images, i, false, false));
        }
        return json.append(']').toString();
    }

    /** {@code count} copies of the first image: one flat list of all their values, or a list of images. */
    static String copies(int count, boolean asList) {
        String one = pixels(0, false, false);
        return "[" + String.join(",", java.util.Collections.nCopies(count, asList ? one : one.substring(1, one.length() - 1))) + "]";
    }

    static String base64Png(int index) {
        return Base64.getEncoder().encodeToString(Digits.png(Digits.mnist(IMAGES, index)));
    }

    /** The field {@code name} of every element of {@code list}, as one JSON array. */
    static JsonNode field(JsonNode list, String name) {
        tools.jackson.databind.node.ArrayNode values = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        list.forEach(element -> values.add(element.get(name)));
        return values;
    }

    /** {@code probabilities} (one list per image, or flat) are the CNN's own for the probe digits, to 1e-5. */
    static void assertEngineProbabilities(JsonNode probabilities, int count, boolean flat) {
        float[] expected = TrainedModels.cnn().probeProbabilities();
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < MnistFile.CLASSES; c++) {
                JsonNode value = flat ? probabilities.get(i * MnistFile.CLASSES + c) : probabilities.get(i).get(c);
                assertThat(value.asDouble()).as("image %d class %d", i, c).isCloseTo(expected[i * MnistFile.CLASSES + c], within(1e-5));
            }
        }
    }
}
