package io.deepmnist.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A bucket through the AWS SDK. For an S3-compatible server (an endpoint is set): path-style access, and checksums
 * only where the API requires them, since the SDK's default trailers are refused by some such servers. The
 * service checks every object against its manifest's SHA-256 itself.
 */
final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final ArtifactLocation location;
    private final String endpoint;

    S3ObjectStore(ArtifactLocation location, ArtifactsProperties.S3 settings) {
        this.location = location;
        this.endpoint = settings.endpoint() == null ? "AWS S3 (" + settings.region() + ")" : settings.endpoint().toString();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.callTimeout()))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint()).forcePathStyle(true);
        }
        this.s3 = builder.build();
    }

    @Override
    public void put(String key, Path file) {
        call("upload " + key, () -> s3.putObject(r -> r.bucket(location.bucket()).key(full(key)), RequestBody.fromFile(file)));
    }

    @Override
    public void put(String key, byte[] bytes) {
        call("upload " + key, () -> s3.putObject(r -> r.bucket(location.bucket()).key(full(key)), RequestBody.fromBytes(bytes)));
    }

    @Override
    public boolean get(String key, Path target) {
        try {
            Files.deleteIfExists(target);
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        try {
            call("download " + key, () -> s3.getObject(r -> r.bucket(location.bucket()).key(full(key)), ResponseTransformer.toFile(target)));
            return true;
        } catch (ArtifactStoreException e) {
            if (e.getCause() instanceof NoSuchKeyException) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(call("download " + key,
                    () -> s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(full(key))).asByteArray()));
        } catch (ArtifactStoreException e) {
            if (e.getCause() instanceof NoSuchKeyException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return call("list " + prefix, () -> s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(full(prefix)))
                .contents().stream()
                .map(o -> new StoredObject(o.key().substring(location.prefix().length()), o.size(), o.lastModified()))
                .toList());
    }

    @Override
    public void delete(Collection<String> keys) {
        for (String key : keys) {
            call("delete " + key, () -> s3.deleteObject(r -> r.bucket(location.bucket()).key(full(key))));
        }
    }

    @Override
    public void check() {
        try {
            s3.headBucket(r -> r.bucket(location.bucket()));
        } catch (NoSuchBucketException e) {
            throw new ArtifactStoreException("the bucket " + location.bucket() + " does not exist at " + endpoint
                    + ": create it, or fix mnist.artifacts.location", e);
        } catch (S3Exception e) {
            String what = e.statusCode() == 403 || e.statusCode() == 401
                    ? "refuses these credentials (HTTP " + e.statusCode() + "): check AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or the role's access to the bucket"
                    : e.statusCode() == 404 ? "has no bucket " + location.bucket() + ": create it, or fix mnist.artifacts.location"
                    : "answers HTTP " + e.statusCode() + ": " + e.getMessage();
            throw new ArtifactStoreException(endpoint + " " + what, e);
        } catch (SdkClientException e) {
            throw new ArtifactStoreException("cannot reach " + endpoint + " (" + rootMessage(e) + "): check "
                    + "mnist.artifacts.s3.endpoint and the network, and that credentials are set", e);
        } catch (SdkException e) {
            throw new ArtifactStoreException(endpoint + " failed: " + rootMessage(e), e);
        }
    }

    @Override
    public String describe() {
        return location + " at " + endpoint;
    }

    @Override
    public void close() {
        s3.close();
    }

    private String full(String key) {
        return location.prefix() + key;
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw new ArtifactStoreException("cannot " + what + " in " + location + " at " + endpoint + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }
}
