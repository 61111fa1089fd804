package io.deepmnist.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Loading the dataset makes no huge allocation. As one 172 MB {@code float[]}, the training images held every thread
 * of the JVM (liveness probes included) at a safepoint for 0.4-0.6 s while the JVM zeroed the new memory. What that
 * costs in time is measured by {@code bench flood}; this checks the cause, from the JVM's own allocation events.
 */
class DatasetAllocationTests {

    /** The largest array the load may ask for: the decompressed training images file (47 MB) is read whole. */
    private static final long LIMIT = 48L << 20;

    @Test
    void loadingTheDatasetAllocatesNoArrayLargerThanTheFileItReads() throws Exception {
        Path dump = Files.createTempFile("allocations", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationOutsideTLAB").withoutStackTrace();
            recording.start();
            MnistDataset.load(RealMnist.directory());
            recording.stop();
            recording.dump(dump);
            long thread = Thread.currentThread().getId();
            List<RecordedEvent> ours = RecordingFile.readAllEvents(dump).stream()
                    .filter(e -> e.getThread() != null && e.getThread().getJavaThreadId() == thread)
                    .toList();
            RecordedEvent largest = ours.stream().max(Comparator.comparingLong(e -> e.getLong("allocationSize"))).orElseThrow();

            assertThat(largest.getLong("allocationSize"))
                    .as("largest allocation while loading: %s", largest.getClass("objectClass").getName())
                    .isLessThanOrEqualTo(LIMIT);
            assertThat(ours).filteredOn(e -> e.getClass("objectClass").getName().equals("[F"))
                    .as("float arrays over 4 MB")
                    .noneMatch(e -> e.getLong("allocationSize") > 4L << 20);
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
