package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.dataset.DataSplit;
import io.deepmnist.dataset.MnistDataset;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on disk: exact restores, and runs that stop and resume where they stopped. */
class CheckpointTests {

    static final int PROBE_COUNT = 200;

    @TempDir
    Path tmp;

    private final MnistDataset data = RealMnist.get();
    private final Trainer trainer = new Trainer(data);

    static float[] probe(DataSplit split) {
        float[] images = new float[PROBE_COUNT * MnistFile.PIXELS];
        split.copyRange(0, PROBE_COUNT, images, new float[PROBE_COUNT * MnistFile.CLASSES]);
        return images;
    }

    @Test
    void aRestoredCheckpointGivesIdenticalProbabilities() {
        Hyperparameters hp = ModelKind.CNN.defaults().withSteps(30).withSeed(3);
        CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), 3);
        float[] images = probe(data.test());
        float[] trained;
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            trainer.train(model, store, TrainingListener.NONE, () -> false);
            trained = model.probabilities(images, PROBE_COUNT);
        }
        try (MnistModel fresh = MnistModel.create(hp.withSeed(99), EngineSettings.defaults())) {
            assertThat(fresh.probabilities(images, PROBE_COUNT)).isNotEqualTo(trained);
            store.restore(fresh, store.latest().orElseThrow());
            assertThat(fresh.probabilities(images, PROBE_COUNT)).isEqualTo(trained);
        }
    }

    @Test
    void aRunStoppedAtStepKAndResumedEndsLikeAnUninterruptedRun() {
        Hyperparameters hp = ModelKind.SOFTMAX.defaults().withSteps(600).withCheckpointEvery(100).withSeed(5);
        float[] images = probe(data.test());

        float[] uninterrupted;
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            trainer.train(model, null, TrainingListener.NONE, () -> false);
            uninterrupted = model.probabilities(images, PROBE_COUNT);
        }

        CheckpointStore store = new CheckpointStore(tmp.resolve("job"), 10);
        AtomicBoolean cancel = new AtomicBoolean();
        TrainingListener cancelAfterCheckpoint200 = new TrainingListener() {
            @Override
            public void onCheckpoint(CheckpointInfo checkpoint) {
                if (checkpoint.step() == 200) {
                    cancel.set(true);
                }
            }
        };
        TrainingResult first;
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            first = trainer.train(model, store, cancelAfterCheckpoint200, cancel::get);
        }
        assertThat(first.cancelled()).isTrue();
        assertThat(first.step()).isEqualTo(200);
        assertThat(store.list()).extracting(CheckpointInfo::step).containsExactly(100L, 200L);

        List<Integer> resumedFrom = new ArrayList<>();
        TrainingResult second;
        float[] resumed;
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            second = trainer.train(model, store, new TrainingListener() {
                @Override
                public void onStart(int fromStep, int totalSteps) {
                    resumedFrom.add(fromStep);
                }
            }, () -> false);
            resumed = model.probabilities(images, PROBE_COUNT);
        }
        assertThat(resumedFrom).containsExactly(200);
        assertThat(second.cancelled()).isFalse();
        assertThat(second.startStep()).isEqualTo(200);
        assertThat(second.step()).isEqualTo(600);
        assertThat(second.testAccuracy()).isGreaterThan(0.90);
        assertThat(store.latest().orElseThrow().step()).isEqualTo(600);
        for (int i = 0; i < resumed.length; i++) {
            assertThat(resumed[i]).as("probability %d", i).isCloseTo(uninterrupted[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void onlyTheNewestCheckpointsAreKeptAndNoStagingFilesRemain() throws IOException {
        Hyperparameters hp = ModelKind.SOFTMAX.defaults().withSteps(50).withCheckpointEvery(10).withSeed(1);
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpts"), 2);
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            trainer.train(model, store, TrainingListener.NONE, () -> false);
        }
        assertThat(store.list()).extracting(CheckpointInfo::step).containsExactly(40L, 50L);
        assertThat(store.latest().orElseThrow().sizeBytes()).isGreaterThan(784 * 10 * 4);
        try (Stream<Path> files = Files.list(store.directory())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .allMatch(name -> name.startsWith("ckpt-40.") || name.startsWith("ckpt-50."));
        }
    }

    @Test
    void anIndexlessCheckpointIsNotACheckpoint() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("partial"));
        Files.write(dir.resolve("ckpt-500.data-00000-of-00001"), new byte[10]);
        assertThat(new CheckpointStore(dir, 3).latest()).isEmpty();
    }

    /** Checkpoints at steps 30, 40 and 50 of a softmax run, with the newest {@code damaged} cut in half. */
    private CheckpointStore checkpointsWithDamage(String name, int damaged) throws IOException {
        Hyperparameters hp = ModelKind.SOFTMAX.defaults().withSteps(50).withCheckpointEvery(10).withSeed(1);
        CheckpointStore store = new CheckpointStore(tmp.resolve(name), 3);
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            trainer.train(model, store, TrainingListener.NONE, () -> false);
        }
        List<CheckpointInfo> all = store.list();
        for (CheckpointInfo c : all.subList(all.size() - damaged, all.size())) {
            Path data = c.prefix().resolveSibling(c.prefix().getFileName() + ".data-00000-of-00001");
            byte[] bytes = Files.readAllBytes(data);
            Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        }
        return store;
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedForTheOneBeforeIt() throws IOException {
        CheckpointStore store = checkpointsWithDamage("damaged-newest", 1);
        Hyperparameters hp = ModelKind.SOFTMAX.defaults().withSteps(60).withCheckpointEvery(10).withSeed(1);
        java.util.concurrent.atomic.AtomicInteger from = new java.util.concurrent.atomic.AtomicInteger(-1);
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            TrainingResult result = trainer.train(model, store, new TrainingListener() {
                @Override
                public void onStart(int fromStep, int totalSteps) {
                    from.set(fromStep);
                }
            }, () -> false);
            assertThat(from).as("resumed from ckpt-40, not the damaged ckpt-50").hasValue(40);
            assertThat(result.step()).isEqualTo(60);
        }
    }

    @Test
    void whenNoCheckpointRestoresTheRunFailsSayingWhatToDo() throws IOException {
        CheckpointStore store = checkpointsWithDamage("all-damaged", 3);
        Hyperparameters hp = ModelKind.SOFTMAX.defaults().withSteps(60).withSeed(1);
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> trainer.train(model, store, TrainingListener.NONE, () -> false))
                    .isInstanceOf(TrainingFailedException.class)
                    .hasMessageContaining("none of the checkpoints in " + store.directory() + " can be restored")
                    .hasMessageContaining("ckpt-50: ").hasMessageContaining("ckpt-30: ")
                    .hasMessageContaining("delete that directory to train this job again from step 0");
        }
    }

    @Test
    void listingCheckpointsWhileASavePrunesOldOnesNeverFails() throws Exception {
        Hyperparameters hp = ModelKind.SOFTMAX.defaults().withSteps(400).withCheckpointEvery(1).withSeed(1);
        CheckpointStore store = new CheckpointStore(tmp.resolve("busy"), 1);
        AtomicBoolean training = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (training.get() && failure.get() == null) {
                try {
                    store.list().forEach(c -> assertThat(c.sizeBytes()).isPositive());
                } catch (Throwable e) {
                    failure.set(e);
                }
            }
        });
        reader.start();
        try (MnistModel model = MnistModel.create(hp, EngineSettings.defaults())) {
            trainer.train(model, store, TrainingListener.NONE, () -> false);
        } finally {
            training.set(false);
            reader.join();
        }
        assertThat(failure.get()).as("a listing that raced a prune").isNull();
        assertThat(store.list()).extracting(CheckpointInfo::step).containsExactly(400L);
    }
}
