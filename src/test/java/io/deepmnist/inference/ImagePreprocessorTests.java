package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTests {

    private final ImagePreprocessor preprocessor = new ImagePreprocessor();

    private static BufferedImage bar(int width, int height, Color background, Color ink, int x, int y, int w, int h) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, width, height);
        g.setColor(ink);
        g.fillRect(x, y, w, h);
        g.dispose();
        return image;
    }

    private static int[] inkBox(float[] field) {
        int left = 28, right = -1, top = 28, bottom = -1;
        for (int i = 0; i < 784; i++) {
            if (field[i] > 0.5f) {
                left = Math.min(left, i % 28);
                right = Math.max(right, i % 28);
                top = Math.min(top, i / 28);
                bottom = Math.max(bottom, i / 28);
            }
        }
        return new int[] {left, top, right - left + 1, bottom - top + 1};
    }

    @Test
    void aMnistFormatImagePassesThroughUnchanged() {
        float[] images = new float[784];
        for (int i = 0; i < 784; i++) {
            images[i] = (i * 37 % 256) * (1 / 255f) * ((i / 28 > 2 && i / 28 < 25 && i % 28 > 2 && i % 28 < 25) ? 1 : 0);
        }
        float[] out = preprocessor.toMnist(Digits.mnist(images, 0), true, "digit");
        assertThat(out).containsExactly(images);
    }

    @Test
    void darkInkOnLightPaperIsInvertedCroppedToTwentyPixelsAndCentred() {
        BufferedImage photo = bar(300, 200, new Color(235, 235, 230), new Color(20, 20, 30), 30, 20, 40, 160);
        float[] out = preprocessor.toMnist(photo, true, "photo");
        int[] box = inkBox(out);
        assertThat(box[3]).isEqualTo(20);
        assertThat(box[2]).isEqualTo(5);
        assertThat(box[1]).isBetween(4, 5);
        assertThat(box[0]).isBetween(11, 12);
        assertThat(out[0]).isZero();
    }

    @Test
    void transparentPixelsCountAsWhitePaper() {
        BufferedImage drawing = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
        for (int y = 30; y < 70; y++) {
            for (int x = 45; x < 55; x++) {
                drawing.setRGB(x, y, 0xff000000);
            }
        }
        float[] out = preprocessor.toMnist(drawing, true, "drawing");
        assertThat(inkBox(out)[3]).isEqualTo(20);
    }

    @Test
    void aBlankImageIsRefused() {
        BufferedImage blank = bar(50, 50, Color.WHITE, new Color(250, 250, 250), 10, 10, 5, 5);
        assertThatThrownBy(() -> preprocessor.toMnist(blank, true, "the image"))
                .isInstanceOf(PredictionRejectedException.class)
                .hasMessageContaining("the image is blank");
    }

    @Test
    void withoutPreprocessingOnlyTwentyEightByTwentyEightIsAccepted() {
        assertThatThrownBy(() -> preprocessor.toMnist(bar(30, 28, Color.BLACK, Color.WHITE, 5, 5, 5, 5), false, "x"))
                .hasMessageContaining("x is 30x28; without preprocessing an image must be 28x28");
        BufferedImage light = bar(28, 28, Color.WHITE, Color.BLACK, 5, 5, 5, 5);
        assertThat(preprocessor.toMnist(light, false, "x")[0]).isEqualTo(1f);
    }
}
