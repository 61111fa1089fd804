package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** MNIST digits drawn the ways real clients send them. */
public final class Digits {

    private Digits() {
    }

    /** The digit as it is: a 28x28 8-bit gray image, white on black. */
    public static BufferedImage mnist(float[] images, int index) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < MnistFile.PIXELS; i++) {
            image.getRaster().setSample(i % 28, i / 28, 0, Math.round(images[index * MnistFile.PIXELS + i] * 255));
        }
        return image;
    }

    /** Dark ink on a white 200x200 canvas, enlarged five times, away from the centre. */
    public static BufferedImage onWhiteCanvas(float[] images, int index) {
        BufferedImage ink = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < MnistFile.PIXELS; i++) {
            int v = 255 - Math.round(images[index * MnistFile.PIXELS + i] * 255);
            ink.setRGB(i % 28, i / 28, new Color(v, v, v).getRGB());
        }
        BufferedImage canvas = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 200, 200);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(ink, 45, 20, 140, 140, null);
        g.dispose();
        return canvas;
    }

    /** A black drawing on a transparent 120x120 background, its strength in the alpha channel. */
    public static BufferedImage rgbaDrawing(float[] images, int index) {
        BufferedImage ink = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < MnistFile.PIXELS; i++) {
            int alpha = Math.round(images[index * MnistFile.PIXELS + i] * 255);
            ink.setRGB(i % 28, i / 28, alpha << 24);
        }
        BufferedImage drawing = new BufferedImage(120, 120, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = drawing.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(ink, 10, 4, 84, 84, null);
        g.dispose();
        return drawing;
    }

    public static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
