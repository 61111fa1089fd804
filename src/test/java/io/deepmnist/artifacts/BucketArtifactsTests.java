package io.deepmnist.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deepmnist.S3Server;
import io.deepmnist.engine.CheckpointInfo;
import io.deepmnist.engine.CheckpointStore;
import io.deepmnist.engine.FileTrees;
import io.deepmnist.inference.TrainedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The bucket side of the artifact store against a real S3 server (S3Proxy in its own process): manifests written
 * last, verified downloads, corrupt objects refused, uploads that outlive an outage, the sweep and the cache.
 * Checkpoint files here are made-up bytes: what matters is that they travel intact.
 */
class BucketArtifactsTests {

    private static final Duration HANG = Duration.ofSeconds(30);
    private static S3Server server;

    @BeforeAll
    static void startServer() {
        server = S3Server.start();
        S3Server.useCredentialsInThisJvm();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static ArtifactsProperties properties(String maxSize) {
        return new ArtifactsProperties("", new ArtifactsProperties.S3(server.endpoint(), "us-east-1", Duration.ofSeconds(2),
                Duration.ofSeconds(5)), new ArtifactsProperties.Cache(DataSize.parse(maxSize)), Duration.ZERO, Duration.ofSeconds(1));
    }

    private static BucketArtifacts replica(String bucket, String maxSize) {
        ArtifactLocation location = ArtifactLocation.parse("s3://" + bucket + "/fleet", Path.of("unused"));
        ArtifactsProperties properties = properties(maxSize);
        return new BucketArtifacts(location, new S3ObjectStore(location, properties.s3()), newHome(), properties, 2);
    }

    private static Path newHome() {
        try {
            return Files.createTempDirectory("artifacts-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A checkpoint of made-up bytes at {@code step}, as the trainer would leave it locally. */
    private static CheckpointInfo fakeCheckpoint(CheckpointStore local, long step) throws IOException {
        Path staging = local.stagingDirectory();
        Files.write(staging.resolve("ckpt-" + step + ".data-00000-of-00001"), ("weights at step " + step).repeat(1000).getBytes());
        Files.write(staging.resolve("ckpt-" + step + ".index"), ("index " + step).getBytes());
        CheckpointInfo info = local.adopt(staging, step);
        FileTrees.delete(staging);
        return info;
    }

    private static long stored(BucketArtifacts artifacts, String job, CheckpointInfo checkpoint) throws Exception {
        CompletableFuture<Long> stored = new CompletableFuture<>();
        artifacts.checkpointSaved(job, checkpoint, stored::complete);
        return stored.get(HANG.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aCheckpointUploadedByOneReplicaIsResumedByAnotherByteForByte() throws Exception {
        String bucket = server.newBucket();
        try (BucketArtifacts a = replica(bucket, "1GB"); BucketArtifacts b = replica(bucket, "1GB")) {
            CheckpointStore onA = a.checkpoints("job-1");
            assertThat(stored(a, "job-1", fakeCheckpoint(onA, 10))).isEqualTo(10);
            assertThat(stored(a, "job-1", fakeCheckpoint(onA, 20))).isEqualTo(20);
            assertThat(b.listCheckpoints("job-1")).extracting(CheckpointInfo::step).containsExactly(10L, 20L);

            b.prepareResume("job-1");
            CheckpointStore onB = b.checkpoints("job-1");
            assertThat(onB.latest()).map(CheckpointInfo::step).contains(20L);
            for (String name : onA.fileNames(20)) {
                assertThat(onB.directory().resolve(name)).hasSameBinaryContentAs(onA.directory().resolve(name));
            }
            assertThat(a.health().up()).isTrue();

            b.deleteJob("job-1");
            assertThat(objects(bucket)).as("a deleted job's objects").isEmpty();
            assertThat(onB.directory()).doesNotExist();
        }
    }

    @Test
    void aCheckpointWithoutItsManifestDoesNotExistAndTheSweepRemovesIt() throws Exception {
        String bucket = server.newBucket();
        try (BucketArtifacts a = replica(bucket, "1GB"); BucketArtifacts b = replica(bucket, "1GB")) {
            stored(a, "job-2", fakeCheckpoint(a.checkpoints("job-2"), 10));
            // What a crash between the files and the manifest leaves: the files of step 20 and no manifest.
            Path manifest = server.objectFile(bucket, "fleet/" + Keys.checkpointManifest("job-2", 10));
            for (String name : a.checkpoints("job-2").fileNames(10)) {
                Files.copy(server.objectFile(bucket, "fleet/jobs/job-2/checkpoints/" + name),
                        server.objectFile(bucket, "fleet/jobs/job-2/checkpoints/" + name.replace("ckpt-10", "ckpt-20")));
            }
            assertThat(b.listCheckpoints("job-2")).extracting(CheckpointInfo::step).containsExactly(10L);
            b.prepareResume("job-2");
            assertThat(b.checkpoints("job-2").latest()).map(CheckpointInfo::step).contains(10L);

            stored(a, "gone-job", fakeCheckpoint(a.checkpoints("gone-job"), 5));
            b.sweep(job -> job.equals("job-2"), model -> false);
            assertThat(objects(bucket)).as("what the sweep left").containsExactlyInAnyOrder(
                    "fleet/jobs/job-2/checkpoints/ckpt-10.index", "fleet/jobs/job-2/checkpoints/ckpt-10.data-00000-of-00001",
                    "fleet/jobs/job-2/checkpoints/ckpt-10.manifest.json");
            assertThat(manifest).exists();
        }
    }

    @Test
    void aCheckpointChangedByOneByteIsRefusedAndTheOneBeforeItIsResumed() throws Exception {
        String bucket = server.newBucket();
        try (BucketArtifacts a = replica(bucket, "1GB"); BucketArtifacts b = replica(bucket, "1GB")) {
            CheckpointStore onA = a.checkpoints("job-3");
            stored(a, "job-3", fakeCheckpoint(onA, 10));
            stored(a, "job-3", fakeCheckpoint(onA, 20));
            flipOneByte(server.objectFile(bucket, "fleet/jobs/job-3/checkpoints/ckpt-20.data-00000-of-00001"));

            b.prepareResume("job-3");
            CheckpointStore onB = b.checkpoints("job-3");
            assertThat(onB.list()).extracting(CheckpointInfo::step).containsExactly(10L);
            assertThat(onB.directory().resolve("ckpt-10.data-00000-of-00001"))
                    .hasSameBinaryContentAs(onA.directory().resolve("ckpt-10.data-00000-of-00001"));
        }
    }

    @Test
    void uploadsGoOnThroughAnOutageAndReadinessSaysWhy() throws Exception {
        String bucket = server.newBucket();
        try (BucketArtifacts a = replica(bucket, "1GB")) {
            CheckpointStore local = a.checkpoints("job-4");
            server.stop();
            CompletableFuture<Long> stored = new CompletableFuture<>();
            try {
                a.checkpointSaved("job-4", fakeCheckpoint(local, 10), stored::complete);
                a.checkpointSaved("job-4", fakeCheckpoint(local, 20), stored::complete);
                long deadline = System.nanoTime() + HANG.toNanos();
                while (a.health().up() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                ArtifactHealth down = a.health();
                assertThat(down.up()).isFalse();
                assertThat(down.reason()).contains(server.endpoint().toString());
                assertThat(down.details()).containsEntry("uploadsPending", 1);
                assertThat(stored).isNotDone();
            } finally {
                server.resume();
            }
            assertThat(stored.get(HANG.toSeconds(), TimeUnit.SECONDS)).as("the newer checkpoint replaced the older in the queue")
                    .isEqualTo(20);
            Thread.sleep(2_100); // the probe's interval
            assertThat(a.health().up()).isTrue();
            assertThat(a.listCheckpoints("job-4")).extracting(CheckpointInfo::step).containsExactly(20L);
        }
    }

    @Test
    void aModelIsFetchedVerifiedAndEvictedOnlyWhenNotInUse() throws Exception {
        String bucket = server.newBucket();
        Path trained = TrainedModels.softmax().dir();
        try (BucketArtifacts a = replica(bucket, "1GB"); BucketArtifacts b = replica(bucket, "1B")) {
            for (String id : List.of("model-1", "model-2")) {
                copyTree(trained, a.modelDir(id));
                a.publishModel(id, () -> true);
            }
            assertThat(b.readModelManifest("model-1").testAccuracy()).isGreaterThan(0.9);

            ArtifactStore.ModelPin first = b.useModel("model-1");
            assertThat(first.dir().resolve("saved_model.pb")).hasSameBinaryContentAs(trained.resolve("saved_model.pb"));
            try (ArtifactStore.ModelPin second = b.useModel("model-2")) {
                assertThat(first.dir()).as("in use: kept though the cache is over its size").exists();
                assertThat(second.dir()).exists();
            }
            first.close();
            try (ArtifactStore.ModelPin again = b.useModel("model-1")) {
                assertThat(b.modelDir("model-2")).as("no longer in use, least recently used: evicted").doesNotExist();
                assertThat(again.dir().resolve("saved_model.pb")).exists();
            }

            flipOneByte(server.objectFile(bucket, "fleet/models/model-2/saved_model.pb"));
            assertThatThrownBy(() -> b.useModel("model-2")).isInstanceOf(CorruptArtifactException.class)
                    .hasMessageContaining("models/model-2/saved_model.pb is corrupt in the store");
            assertThat(b.modelDir("model-2")).doesNotExist();

            a.deleteModel("model-1");
            assertThat(objects(bucket)).noneMatch(k -> k.contains("model-1"));
        }
    }

    @Test
    void aModelRegisteredElsewhereIsFetchedAheadAndDroppedWhenDeletedElsewhere() throws Exception {
        String bucket = server.newBucket();
        try (BucketArtifacts a = replica(bucket, "1GB"); BucketArtifacts b = replica(bucket, "1GB")) {
            copyTree(TrainedModels.softmax().dir(), a.modelDir("model-3"));
            a.publishModel("model-3", () -> true);
            b.prefetchModel("model-3");
            long deadline = System.nanoTime() + HANG.toNanos();
            // The directory is renamed into place, then the cache counts it.
            while (!(Files.exists(b.modelDir("model-3")) && b.health().details().get("cache").toString().contains("models=1"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(b.modelDir("model-3").resolve("saved_model.pb")).exists();
            assertThat(b.health().details().get("cache")).asString().contains("models=1");
            b.dropCachedModel("model-3");
            assertThat(b.modelDir("model-3")).doesNotExist();
        }
    }

    @Test
    void aMissingBucketOrWrongCredentialsFailWithOneReason() {
        ArtifactLocation missing = ArtifactLocation.parse("s3://no-such-bucket/x", Path.of("."));
        try (S3ObjectStore store = new S3ObjectStore(missing, properties("1GB").s3())) {
            assertThatThrownBy(store::check).isInstanceOf(ArtifactStoreException.class)
                    .hasMessageContaining("no-such-bucket").hasMessageContaining("create it");
        }
        ArtifactLocation location = ArtifactLocation.parse("s3://" + server.newBucket(), Path.of("."));
        String key = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.secretAccessKey", "wrong");
        try (S3ObjectStore store = new S3ObjectStore(location, properties("1GB").s3())) {
            assertThatThrownBy(store::check).isInstanceOf(ArtifactStoreException.class).hasMessageContaining("AWS_SECRET_ACCESS_KEY");
        } finally {
            System.setProperty("aws.secretAccessKey", key);
        }
        assertThatThrownBy(() -> ArtifactLocation.parse("gs://bucket", Path.of("."))).hasMessageContaining("mnist.artifacts.s3.endpoint");
        assertThat(ArtifactLocation.parse("s3://my-bucket/a/b/", Path.of("."))).satisfies(l -> {
            assertThat(l.bucket()).isEqualTo("my-bucket");
            assertThat(l.prefix()).isEqualTo("a/b/");
        });
    }

    private static List<String> objects(String bucket) throws IOException {
        Path root = server.objectFile(bucket, "");
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).toList();
        }
    }

    private static void flipOneByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
