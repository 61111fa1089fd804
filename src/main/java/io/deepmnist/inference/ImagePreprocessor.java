package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.PredictionRejectedException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a real picture of a digit into an MNIST image, the way the MNIST authors made theirs: grayscale (any
 * transparency composited onto white), white ink on black (inverted when the background is light), cropped
 * to the ink, the longer side scaled to 20 pixels, and placed in a 28x28 field with its centre of mass in the
 * middle. A 28x28 image that is already white on black passes through unchanged. Pixels sent as JSON numbers
 * take the same way as a 28x28 grayscale image.
 */
final class ImagePreprocessor {

    private static final int FIELD = 28;
    private static final int BOX = 20;
    private static final float MIN_CONTRAST = 24f;

    /** Pixels in [0,1], 784 of them. */
    float[] toMnist(BufferedImage image, boolean preprocess, String name) {
        return toMnist(grayOnWhite(image), image.getWidth(), image.getHeight(), preprocess, name);
    }

    /**
     * The 784 pixels at {@code offset}, sent as numbers in [0,1] with 1 for white, preprocessed in place as a
     * 28x28 image would be. MNIST-format pixels (a dark border) are left as they are, at the cost of reading the
     * border only.
     */
    void toMnist(float[] pixels, int offset, String name) {
        if (borderMean(pixels, offset, FIELD, FIELD) <= 0.5f) {
            return;
        }
        float[] gray = new float[MnistFile.PIXELS];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = pixels[offset + i] * 255f;
        }
        System.arraycopy(toMnist(gray, FIELD, FIELD, true, name), 0, pixels, offset, MnistFile.PIXELS);
    }

    /** @param gray luminance 0-255, row by row */
    private static float[] toMnist(float[] gray, int w, int h, boolean preprocess, String name) {
        if (!preprocess) {
            if (w != FIELD || h != FIELD) {
                throw new PredictionRejectedException(Reason.UNPROCESSABLE, "%s is %dx%d; without preprocessing an image must be 28x28"
                        .formatted(name, w, h));
            }
            return scale(gray, 1 / 255f);
        }
        float border = borderMean(gray, 0, w, h);
        boolean lightBackground = border > 127.5f;
        if (w == FIELD && h == FIELD && !lightBackground) {
            return scale(gray, 1 / 255f); // the MNIST authors' work is done already
        }
        float[] ink = new float[gray.length];
        float background = lightBackground ? 255 - border : border;
        float max = 0;
        for (int i = 0; i < gray.length; i++) {
            float v = lightBackground ? 255 - gray[i] : gray[i];
            ink[i] = Math.max(0, v - background);
            max = Math.max(max, ink[i]);
        }
        if (max < MIN_CONTRAST) {
            throw new PredictionRejectedException(Reason.UNPROCESSABLE, name + " is blank: no ink stands out from its background");
        }
        int left = w, right = -1, top = h, bottom = -1;
        float threshold = max * 0.1f;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ink[y * w + x] > threshold) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        int cw = right - left + 1;
        int ch = bottom - top + 1;
        float factor = (float) BOX / Math.max(cw, ch);
        int sw = Math.max(1, Math.round(cw * factor));
        int sh = Math.max(1, Math.round(ch * factor));
        float[] box = Resampler.areaAverage(ink, w, left, top, cw, ch, sw, sh, 255f / max);
        return centre(box, sw, sh);
    }

    /**
     * Luminance 0-255 with transparency composited onto white. Gray images are read from their raster: their
     * getRGB() would pass them through a colour-space conversion and brighten them.
     */
    private static float[] grayOnWhite(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] gray = new float[w * h];
        ColorModel cm = image.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            Raster raster = image.getRaster();
            float grayScale = 255f / ((1 << cm.getComponentSize(0)) - 1);
            boolean alpha = raster.getNumBands() > 1;
            float alphaScale = alpha ? 1f / ((1 << cm.getComponentSize(1)) - 1) : 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float a = alpha ? raster.getSample(x, y, 1) * alphaScale : 1f;
                    gray[y * w + x] = a * raster.getSample(x, y, 0) * grayScale + (1 - a) * 255f;
                }
            }
            return gray;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            float a = ((p >>> 24) & 0xff) / 255f;
            float lum = 0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff);
            gray[i] = a * lum + (1 - a) * 255f;
        }
        return gray;
    }

    /** The mean of the outermost pixels of the w x h image that starts at {@code offset}. */
    private static float borderMean(float[] values, int offset, int w, int h) {
        double sum = 0;
        int n = 0;
        for (int x = 0; x < w; x++) {
            sum += values[offset + x] + values[offset + (h - 1) * w + x];
            n += 2;
        }
        for (int y = 1; y < h - 1; y++) {
            sum += values[offset + y * w] + values[offset + y * w + w - 1];
            n += 2;
        }
        return (float) (sum / n);
    }

    /** Places the box in the 28x28 field so that its centre of mass is at the field's centre. */
    private static float[] centre(float[] box, int bw, int bh) {
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                float v = box[y * bw + x];
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        int ox = (int) Math.round(FIELD / 2.0 - (mass > 0 ? mx / mass : bw / 2.0));
        int oy = (int) Math.round(FIELD / 2.0 - (mass > 0 ? my / mass : bh / 2.0));
        ox = Math.max(0, Math.min(FIELD - bw, ox));
        oy = Math.max(0, Math.min(FIELD - bh, oy));
        float[] field = new float[MnistFile.PIXELS];
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                field[(y + oy) * FIELD + x + ox] = Math.min(1f, box[y * bw + x] / 255f);
            }
        }
        return field;
    }

    private static float[] scale(float[] values, float factor) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * factor;
        }
        return out;
    }
}
