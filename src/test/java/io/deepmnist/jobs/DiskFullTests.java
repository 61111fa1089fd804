package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A full disk under the checkpoints, for real: {@code jobs/} of the home is a 60 MB tmpfs (mounted by the test,
 * which needs root, as CI has), room for one 39 MB CNN checkpoint but not for the next. The job fails saying so,
 * the checkpoint that was written stays the latest, and once the disk grows the resumed job finishes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TrainsCnn
class DiskFullTests {

    private static Path jobs;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        jobs = Files.createDirectories(TestHome.register(registry).resolve("jobs"));
        run("mount", "-t", "tmpfs", "-o", "size=60m", "tmpfs", jobs.toString());
    }

    @AfterAll
    static void unmount() throws Exception {
        run("umount", "-l", jobs.toString());
    }

    @LocalServerPort
    int port;

    @Test
    void aCheckpointThatDoesNotFitFailsTheJobClearlyAndResumeWorksOnceThereIsRoom() throws Exception {
        ApiClient api = new ApiClient(port);
        String id = api.submit("{\"model\":\"cnn\",\"steps\":40,\"logEvery\":10,\"checkpointEvery\":20,\"seed\":4}").get("id").asString();
        JsonNode failed = api.awaitJob(id, j -> j.get("state").asString().equals("FAILED"), Duration.ofMinutes(2));

        assertThat(failed.get("error").asString()).contains("cannot write checkpoint ckpt-40")
                .containsIgnoringCase("no space left on device").contains("make room and resume it");
        assertThat(api.get("/jobs/" + id + "/checkpoints").json()).extracting(c -> c.get("step").asInt()).containsExactly(20);
        try (Stream<Path> files = Files.list(jobs.resolve(id).resolve("checkpoints"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("nothing half-written left")
                    .allMatch(name -> name.startsWith("ckpt-20."));
        }

        run("mount", "-o", "remount,size=200m", jobs.toString());
        assertThat(api.post("/jobs/" + id + "/resume", null).status()).isEqualTo(202);
        JsonNode done = api.awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofMinutes(2));
        assertThat(done.get("step").asInt()).isEqualTo(40);
        List<Integer> progress = api.allEvents(id, null).stream().filter(e -> e.type().equals("progress"))
                .map(e -> e.data().get("step").asInt()).toList();
        assertThat(progress).as("the failed run to its end, then the resumed one from step 20").containsSubsequence(40, 20, 30, 40);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + output.strip() + "); this test mounts a "
                    + "tmpfs to fill a disk for real and needs root, as CI has");
        }
    }
}
