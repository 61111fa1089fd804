package io.deepmnist.artifacts;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where artifacts live: a directory, or a bucket and a key prefix.
 *
 * @param prefix the keys' prefix, empty or ending in {@code /}
 */
public record ArtifactLocation(Path directory, String bucket, String prefix) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** {@code mnist.artifacts.location}: empty means {@code home}. */
    public static ArtifactLocation parse(String setting, Path home) {
        String value = setting == null ? "" : setting.strip();
        if (value.isEmpty()) {
            return new ArtifactLocation(home, null, null);
        }
        if (!value.regionMatches(true, 0, "s3://", 0, 5)) {
            if (value.contains("://")) {
                throw new IllegalArgumentException("mnist.artifacts.location=" + value + " is neither a directory nor "
                        + "s3://BUCKET/PREFIX; other object stores speak S3: give their endpoint in mnist.artifacts.s3.endpoint");
            }
            return new ArtifactLocation(home.resolve(value).toAbsolutePath().normalize(), null, null);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("mnist.artifacts.location=" + value + " is not a valid s3://BUCKET/PREFIX", e);
        }
        String bucket = uri.getHost();
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("mnist.artifacts.location=" + value + " names no valid bucket: use "
                    + "s3://BUCKET/PREFIX, with a bucket name of 3-63 lower-case letters, digits, dots and hyphens");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        return new ArtifactLocation(null, bucket, path.isEmpty() ? "" : path + "/");
    }

    public boolean isBucket() {
        return bucket != null;
    }

    @Override
    public String toString() {
        return isBucket() ? "s3://" + bucket + "/" + prefix : directory.toString();
    }
}
