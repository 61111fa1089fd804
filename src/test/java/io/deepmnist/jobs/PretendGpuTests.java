package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code mnist.engine.devices=GPU:0,GPU:1} on this machine without a GPU: each named device gets a worker, two
 * jobs run at the same time, each names its device, and their ops run on the CPU through soft placement.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TrainsCnn
class PretendGpuTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestHome.register(registry);
        registry.add("mnist.engine.devices", () -> "GPU:0,GPU:1");
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    /** Actuator, on its own port. */
    private ApiClient management() {
        return new ApiClient(managementPort);
    }

    @Test
    void twoJobsRunAtOnceEachOnItsOwnNamedDevice() throws Exception {
        ApiClient api = new ApiClient(port);
        List<String> ids = List.of(
                api.submit("{\"model\":\"cnn\",\"steps\":30,\"logEvery\":10,\"checkpointEvery\":30,\"seed\":1}").get("id").asString(),
                api.submit("{\"model\":\"cnn\",\"steps\":30,\"logEvery\":10,\"checkpointEvery\":30,\"seed\":2}").get("id").asString());

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> runningTogether = new HashSet<>();
        while (runningTogether.size() < 2 && System.nanoTime() < deadline) {
            runningTogether.clear();
            for (String id : ids) {
                JsonNode job = api.get("/jobs/" + id).json();
                if (job.get("state").asString().equals("RUNNING")) {
                    runningTogether.add(job.get("device").asString());
                }
            }
            Thread.sleep(50);
        }
        assertThat(runningTogether).as("devices of the jobs running at the same moment")
                .containsExactlyInAnyOrder("/device:GPU:0", "/device:GPU:1");

        for (String id : ids) {
            JsonNode done = api.awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofMinutes(2));
            assertThat(done.get("device").asString()).startsWith("/device:GPU:");
            assertThat(done.get("step").asInt()).isEqualTo(30);
        }
        assertThat(management().get("/actuator/health").json().get("components").get("tensorflow").get("details")
                .get("trainingDevices")).extracting(JsonNode::asString).containsExactly("/device:GPU:0", "/device:GPU:1");
    }
}
