package io.deepmnist.artifacts;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code mnist.artifacts.*}: where checkpoints and models live.
 *
 * @param location   a directory, or {@code s3://BUCKET/PREFIX}; empty: {@code mnist.home}, for one process
 * @param s3         the S3 client, for an {@code s3://} location
 * @param cache      this replica's copy of what it reads from the bucket
 * @param sweepGrace objects of an upload without a manifest are swept at start-up once they are this old: younger ones
 *                   may belong to an upload still running on another replica
 * @param retryMax   the longest wait between two tries of a failed upload
 */
@ConfigurationProperties("mnist.artifacts")
public record ArtifactsProperties(
        @DefaultValue("") String location,
        @DefaultValue S3 s3,
        @DefaultValue Cache cache,
        @DefaultValue("1h") Duration sweepGrace,
        @DefaultValue("10s") Duration retryMax) {

    /**
     * @param endpoint       an S3-compatible server (MinIO, S3Proxy, GCS's interoperability); path-style access when set.
     *                       Empty: AWS S3 itself
     * @param region         the bucket's region
     * @param connectTimeout to the server
     * @param callTimeout    a small request (a manifest, a listing, the readiness probe's check) gives up after it
     */
    public record S3(URI endpoint, @DefaultValue("us-east-1") String region, @DefaultValue("5s") Duration connectTimeout,
                     @DefaultValue("10s") Duration callTimeout) {
    }

    /**
     * @param maxSize what the cached models may take on disk, least recently used evicted first; a model in use is never
     *                evicted, so the cache may hold more while every model in it is
     */
    public record Cache(@DefaultValue("2GB") DataSize maxSize) {
    }
}
