package io.deepmnist.web.warmup;

import io.deepmnist.dataset.MnistFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The request bodies the warm-up sends: a drawn 7 as MNIST-format JSON pixels, and as a PNG the size of a photo,
 * dark ink on white, which goes through decoding and preprocessing. Drawn, not read from the dataset, which a
 * serving replica need not have.
 */
final class WarmUpSamples {

    private static final int PHOTO_SCALE = 5;

    private WarmUpSamples() {
    }

    /** {@code {"pixels":[784 values in 0..1]}} */
    static byte[] json() {
        BufferedImage seven = seven(MnistFile.ROWS, 1, Color.BLACK, Color.WHITE);
        StringBuilder json = new StringBuilder("{\"pixels\":[");
        for (int i = 0; i < MnistFile.PIXELS; i++) {
            int value = seven.getRaster().getSample(i % MnistFile.ROWS, i / MnistFile.ROWS, 0);
            json.append(i == 0 ? "" : ",").append(value == 0 ? "0" : String.format(Locale.ROOT, "%.4f", value / 255f));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] png() {
        BufferedImage photo = seven(MnistFile.ROWS * PHOTO_SCALE, PHOTO_SCALE, Color.WHITE, new Color(40, 40, 60));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(photo, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A 7 in the MNIST layout (a 20x20 box centred in 28x28), drawn {@code scale} times as large. */
    private static BufferedImage seven(int size, int scale, Color background, Color ink) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(background);
            g.fillRect(0, 0, size, size);
            g.setColor(ink);
            g.setStroke(new BasicStroke(2.5f * scale, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.drawPolyline(new int[] {8 * scale, 20 * scale, 12 * scale}, new int[] {6 * scale, 6 * scale, 23 * scale}, 3);
        } finally {
            g.dispose();
        }
        return image;
    }
}
