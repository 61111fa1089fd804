package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient.SseEvent;
import io.deepmnist.ApiClient;
import io.deepmnist.PostgresServer;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service on a real PostgreSQL server (Debian's, started for the test) instead of the embedded H2 file:
 * the same Flyway migrations, the whole job lifecycle with its event history, and readiness that follows the
 * database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresJobStoreTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestHome.register(registry);
        registry.add("spring.datasource.url", PostgresServer.shared()::newDatabase);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        // Each request during the outages below waits this long for a connection before its 503.
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("mnist.jobs.lease", () -> "6s");
        registry.add("mnist.jobs.node", () -> "replica-pg");
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    JdbcClient jdbc;

    @Test
    @Order(1)
    void theStoreIsPostgresMigratedByFlyway() {
        assertThat(jdbc.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL");
        assertThat(jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .query(String.class).list()).contains("1");
    }

    @TrainsCnn
    @Test
    @Order(2)
    void aCnnJobCancelledAndResumedKeepsAGaplessHistoryAndSucceeds() {
        ApiClient api = new ApiClient(port);
        String id = api.submit("{\"model\":\"cnn\",\"steps\":80,\"logEvery\":20,\"checkpointEvery\":20,\"seed\":5}")
                .get("id").asString();
        api.events(id, null, Duration.ofMinutes(2), e -> e.type().equals("checkpoint"));

        assertThat(api.post("/jobs/" + id + "/cancel", null).status()).isEqualTo(202);
        api.awaitJob(id, j -> j.get("state").asString().equals("CANCELLED"), Duration.ofSeconds(60));
        assertThat(api.post("/jobs/" + id + "/resume", null).status()).isEqualTo(202);
        List<SseEvent> history = api.allEvents(id, null);

        assertThat(history).extracting(SseEvent::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, history.size()).boxed().toList());
        assertThat(history).extracting(e -> e.data().path("state").asString(""))
                .containsSubsequence("QUEUED", "RUNNING", "CANCELLED", "QUEUED", "RUNNING", "SUCCEEDED");
        JsonNode job = api.get("/jobs/" + id).json();
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("step").asInt()).isEqualTo(80);
        assertThat(api.get("/jobs?state=SUCCEEDED").json().get("content")).extracting(j -> j.get("id").asString()).contains(id);
        String modelId = job.get("modelId").asString();
        assertThat(api.post("/models/" + modelId + "/predict", "{\"pixels\":[" + "0,".repeat(783) + "0]}").status())
                .isEqualTo(200);
    }

    @Test
    @Order(3)
    void theJobStoreHealthListsTheReplicasByTheirHeartbeats() {
        jdbc.sql("INSERT INTO replica (name, devices, started_at, last_heartbeat) VALUES ('replica-gone', 'CPU:0', "
                + "CURRENT_TIMESTAMP - INTERVAL '5 minutes', CURRENT_TIMESTAMP - INTERVAL '1 minute')").update();
        try {
            JsonNode store = new ApiClient(managementPort).get("/actuator/health").json().get("components").get("jobStore");
            assertThat(store.get("status").asString()).isEqualTo("UP");
            JsonNode replicas = store.get("details").get("replicas");
            assertThat(replicas).extracting(r -> r.get("name").asString()).containsExactly("replica-pg", "replica-gone");
            assertThat(replicas.get(0).get("alive").asBoolean()).isTrue();
            assertThat(replicas.get(0).get("devices")).extracting(JsonNode::asString).isNotEmpty();
            assertThat(replicas.get(1).get("alive").asBoolean()).isFalse();
            assertThat(replicas.get(1).get("secondsSinceHeartbeat").asDouble()).isGreaterThanOrEqualTo(60)
                    .isGreaterThan(replicas.get(0).get("secondsSinceHeartbeat").asDouble());
            assertThat(store.get("details").get("replicasAlive").asInt()).isEqualTo(1);
        } finally {
            jdbc.sql("DELETE FROM replica WHERE name = 'replica-gone'").update();
        }
    }

    @Test
    @Order(4)
    void readinessIsDownWhileTheDatabaseIsAwayAndUpWhenItReturns() {
        ApiClient api = new ApiClient(port);
        ApiClient management = new ApiClient(managementPort);
        assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);

        PostgresServer.shared().stop();
        try {
            ApiClient.Response away = management.get("/actuator/health/readiness");
            assertThat(away.status()).isEqualTo(503);
            assertThat(away.json().get("components").get("jobStore").get("status").asString()).isEqualTo("DOWN");
            // Every route that needs the store says so with a 503, none with a 500.
            for (String[] request : List.of(new String[] {"GET", "/jobs"}, new String[] {"POST", "/jobs"},
                    new String[] {"GET", "/jobs/x"}, new String[] {"GET", "/jobs/x/events"}, new String[] {"POST", "/jobs/x/cancel"},
                    new String[] {"DELETE", "/jobs/x"}, new String[] {"GET", "/models"}, new String[] {"POST", "/models/x/promote"},
                    new String[] {"DELETE", "/models/x"})) {
                ApiClient.Response response = api.send(request[0], request[1], "application/json", "{\"model\":\"softmax\"}");
                assertThat(response.status()).as(String.join(" ", request) + " " + response.body())
                        .satisfiesAnyOf(status -> assertThat(status).isLessThan(500), status -> assertThat(status).isEqualTo(503));
                assertThat(response.header("Content-Type")).as(String.join(" ", request)).isNotNull();
            }
        } finally {
            PostgresServer.shared().restart();
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (management.get("/actuator/health/readiness").status() != 200 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(api.submit("{\"model\":\"softmax\",\"steps\":10}").get("state").asString()).isIn("QUEUED", "RUNNING");
    }

    @TrainsCnn
    @Test
    @Order(5)
    void aJobWhoseDatabaseGoesAwayStopsWithoutAHalfWrittenStateAndResumesWhenItReturns() throws InterruptedException {
        ApiClient api = new ApiClient(port);
        ApiClient management = new ApiClient(managementPort);
        String id = api.submit("{\"model\":\"cnn\",\"steps\":100,\"logEvery\":10,\"checkpointEvery\":20,\"seed\":7}")
                .get("id").asString();
        api.events(id, null, Duration.ofMinutes(2), e -> e.type().equals("checkpoint"));

        PostgresServer.shared().stop();
        try {
            assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(503);
            // A request that needs the store is told to come back, not given a server error.
            ApiClient.Response away = api.get("/jobs/" + id);
            assertThat(away.status()).isEqualTo(503);
            assertThat(away.header("Retry-After")).isEqualTo("5");
            assertThat(away.json().get("detail").asString()).contains("job store cannot be reached");
            // Longer than half the 6 s lease: the job notices at its next write or by its fading claim.
            Thread.sleep(2000);
            assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(503);
        } finally {
            PostgresServer.shared().restart();
        }

        JsonNode job = api.awaitJob(id, j -> j.path("state").asString("").equals("SUCCEEDED"), Duration.ofMinutes(2));
        assertThat(job.get("step").asInt()).isEqualTo(100);
        List<SseEvent> history = api.allEvents(id, null);
        assertThat(history).extracting(SseEvent::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, history.size()).boxed().toList());
        assertThat(history).extracting(e -> e.data().path("state").asString(""))
                .containsSubsequence("RUNNING", "QUEUED", "RUNNING", "SUCCEEDED")
                .doesNotContain("FAILED");
        assertThat(history).filteredOn(e -> e.type().equals("state"))
                .anySatisfy(e -> assertThat(e.data().get("message").asString()).contains("ended without handing the job back"));
        // It checkpointed where it stopped and resumed there: no step was trained twice.
        List<Integer> steps = history.stream().filter(e -> e.type().equals("progress")).map(e -> e.data().get("step").asInt()).toList();
        assertThat(steps).isSorted().doesNotHaveDuplicates();
    }
}
