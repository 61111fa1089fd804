package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.PredictionRejectedException.Reason;

/** Checks pixel rows sent as JSON and scales them to [0,1]. */
final class PixelRows {

    private PixelRows() {
    }

    static void copy(float[] row, int index, String name, float[] out) {
        if (row == null || row.length != MnistFile.PIXELS) {
            throw new PredictionRejectedException(Reason.MALFORMED, "%s has %s values; an image is 784 (28x28, row by row)"
                    .formatted(name, row == null ? "no" : Integer.toString(row.length)));
        }
        boolean bytes = false;
        for (int i = 0; i < row.length; i++) {
            float v = row[i];
            if (!Float.isFinite(v)) {
                throw new PredictionRejectedException(Reason.UNPROCESSABLE, "%s[%d] is %s; every value must be a number"
                        .formatted(name, i, v));
            }
            if (v < 0 || v > 255) {
                throw new PredictionRejectedException(Reason.UNPROCESSABLE, "%s[%d] is %s; values are in [0,1] or 0-255"
                        .formatted(name, i, v));
            }
            bytes |= v > 1;
        }
        int base = index * MnistFile.PIXELS;
        for (int i = 0; i < row.length; i++) {
            float v = row[i];
            if (bytes && v != Math.rint(v)) {
                throw new PredictionRejectedException(Reason.UNPROCESSABLE, ("%s mixes scales: values above 1 mean 0-255, "
                        + "where %s[%d] = %s is not a whole number").formatted(name, name, i, v));
            }
            out[base + i] = bytes ? v / 255f : v;
        }
    }
}
