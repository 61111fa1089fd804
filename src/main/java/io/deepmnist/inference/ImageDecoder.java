package io.deepmnist.inference;

import io.deepmnist.inference.PredictionRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Decodes PNG, JPEG, GIF and BMP with ImageIO, refusing oversized images from their header, before decoding. */
final class ImageDecoder {

    private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "bmp");

    private final int maxWidth;
    private final int maxHeight;

    ImageDecoder(int maxWidth, int maxHeight) {
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        ImageIO.setUseCache(false);
    }

    BufferedImage decode(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new PredictionRejectedException(Reason.MALFORMED, name + " is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new PredictionRejectedException(Reason.MALFORMED,
                        name + " is not an image this service can read; send a PNG, JPEG, GIF or BMP");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!FORMATS.contains(format)) {
                    throw new PredictionRejectedException(Reason.UNSUPPORTED_TYPE,
                            name + " is a " + format + " image; send a PNG, JPEG, GIF or BMP");
                }
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width > maxWidth || height > maxHeight) {
                    throw new PredictionRejectedException(Reason.TOO_LARGE, "%s is %dx%d pixels; the limit is %dx%d"
                            .formatted(name, width, height, maxWidth, maxHeight));
                }
                BufferedImage image = reader.read(0);
                if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
                    throw new PredictionRejectedException(Reason.MALFORMED, name + " has no pixels");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PredictionRejectedException rejected) {
                throw rejected;
            }
            throw new PredictionRejectedException(Reason.MALFORMED,
                    name + " could not be decoded (" + e.getMessage() + "); is the file complete?");
        }
    }
}
