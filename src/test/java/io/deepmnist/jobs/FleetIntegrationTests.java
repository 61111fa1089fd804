package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient.SseEvent;
import io.deepmnist.ApiClient;
import io.deepmnist.JarProcess;
import io.deepmnist.PackagedJar;
import io.deepmnist.PostgresServer;
import io.deepmnist.S3Server;
import io.deepmnist.TestHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas, each the packaged jar in its own process with its own home, on one PostgreSQL database and one
 * bucket (S3Proxy), sharing no directory: jobs submitted to one run on both, each on one worker at a time; models
 * trained on one answer on the other; a cancel and a resume work on either replica; the bucket can go away for 20 s
 * under a running job; and a replica killed with SIGKILL mid-job hands its job to the other, which resumes it from
 * the checkpoint in the bucket, refusing one that was damaged there. Both replicas share this machine's two cores.
 */
@PackagedJar
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIntegrationTests {

    private static final Duration LEASE = Duration.ofSeconds(6);
    /** Only catches a change that never arrives; how fast changes travel is measured by bench promote. */
    private static final Duration HANG = Duration.ofSeconds(30);

    private final S3Server s3 = S3Server.start();
    private final String bucket = s3.newBucket();
    private String database;
    private final Map<String, JarProcess> replicas = new java.util.LinkedHashMap<>();

    @BeforeAll
    void startTwoReplicas() throws Exception {
        database = PostgresServer.shared().newDatabase();
        for (String name : List.of("replica-a", "replica-b")) {
            replicas.put(name, JarProcess.launch(TestHome.create(), name + ".log", S3Server.credentials(),
                    "--mnist.artifacts.location=s3://" + bucket + "/fleet", "--mnist.artifacts.s3.endpoint=" + s3.endpoint(),
                    "--spring.datasource.url=" + database,
                    "--spring.datasource.username=postgres", "--spring.datasource.password=",
                    "--mnist.jobs.node=" + name, "--mnist.jobs.lease=" + LEASE.toSeconds() + "s", "--mnist.jobs.poll=500ms"));
        }
        for (JarProcess replica : replicas.values()) {
            replica.awaitHealthy();
        }
    }

    @AfterAll
    void stopReplicas() {
        replicas.values().forEach(JarProcess::close);
        s3.close();
    }

    private ApiClient api(String replica) {
        return replicas.get(replica).api();
    }

    private static String other(String replica) {
        return replica.equals("replica-a") ? "replica-b" : "replica-a";
    }

    @Test
    @Order(1)
    void jobsSubmittedToOneReplicaRunOnBothAndNoJobEverHasTwoOwners() throws Exception {
        List<String> ids = new ArrayList<>();
        long submitted = System.nanoTime();
        for (int i = 0; i < 2; i++) { // the first is A's at once; the second waits for a worker, and B polls first
            ids.add(api("replica-a").submit("{\"model\":\"cnn\",\"steps\":40,\"logEvery\":20,\"checkpointEvery\":20,\"seed\":"
                    + i + "}").get("id").asString());
        }
        JsonNode fleet = replicas.get("replica-b").management().get("/actuator/health").json().get("components").get("jobStore").get("details");
        assertThat(fleet.get("replicas")).filteredOn(r -> r.get("alive").asBoolean())
                .extracting(r -> r.get("name").asString()).containsExactlyInAnyOrder("replica-a", "replica-b");

        Set<String> nodes = new HashSet<>();
        for (String id : ids) {
            JsonNode job = api("replica-b").awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofMinutes(4));
            assertThat(job.get("step").asInt()).isEqualTo(40);
            nodes.add(job.get("node").asString());
            List<SseEvent> history = api("replica-b").allEvents(id, null);
            List<SseEvent> runs = history.stream()
                    .filter(e -> e.type().equals("state") && e.data().get("state").asString().equals("RUNNING")).toList();
            assertThat(runs).as("job %s started once", id).hasSize(1);
            assertThat(runs.get(0).data().get("message").asString()).contains(" of " + job.get("node").asString() + " in ");
            assertThat(history).extracting(SseEvent::id).doesNotHaveDuplicates().isSorted();
        }
        System.out.println("fleet batch: 2 CNN jobs of 40 steps done on two replicas in "
                + Duration.ofNanos(System.nanoTime() - submitted).toMillis() + " ms");
        assertThat(nodes).containsExactlyInAnyOrder("replica-a", "replica-b");
        // The scheduler deletes a claim when the job's handler returns, just after the job's last state is written.
        long deadline = System.nanoTime() + HANG.toNanos();
        while (claimsLeft() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(claimsLeft()).as("claims left in scheduled_tasks").isZero();
    }

    @Test
    @Order(2)
    void theOtherReplicaStreamsTheJobLiveAndLastEventIdContinuesOnTheOwner() throws Exception {
        String id = api("replica-a").submit("{\"model\":\"cnn\",\"steps\":120,\"logEvery\":10,\"checkpointEvery\":60,\"seed\":3}")
                .get("id").asString();
        String owner = api("replica-a").awaitJob(id, j -> j.get("state").asString().equals("RUNNING"), Duration.ofMinutes(2))
                .get("node").asString();
        Map<Long, Long> onOwner = new ConcurrentHashMap<>();
        Map<Long, Long> onOther = new ConcurrentHashMap<>();
        CompletableFuture<List<SseEvent>> ownerStream = CompletableFuture.supplyAsync(() -> api(owner).events(id, null,
                Duration.ofMinutes(2), e -> onOwner.put(e.id(), System.nanoTime()) != null
                        || e.type().equals("progress") && e.data().path("step").asInt() >= 60));

        List<SseEvent> seen = api(other(owner)).events(id, null, Duration.ofMinutes(2),
                e -> onOther.put(e.id(), System.nanoTime()) != null
                        || e.type().equals("progress") && e.data().path("step").asInt() >= 60);
        ownerStream.get(2, TimeUnit.MINUTES);

        assertThat(api(owner).get("/jobs/" + id).json().get("step").asInt()).as("the job still runs").isLessThan(120);
        assertThat(seen).filteredOn(e -> e.type().equals("progress")).hasSizeGreaterThanOrEqualTo(7);
        assertThat(seen).extracting(SseEvent::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, seen.size()).boxed().toList());
        List<Long> extra = onOther.keySet().stream().filter(onOwner::containsKey).filter(seq -> seq > seen.get(0).id() + 2)
                .map(seq -> TimeUnit.NANOSECONDS.toMillis(onOther.get(seq) - onOwner.get(seq))).sorted().toList();
        System.out.println("events on the other replica arrive later by (ms, sorted): " + extra);

        long last = seen.get(seen.size() - 1).id();
        List<SseEvent> rest = api(owner).allEvents(id, last);
        assertThat(rest.get(0).id()).isEqualTo(last + 1);
        assertThat(rest).extracting(SseEvent::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(last + 1, last + rest.size()).boxed().toList());
        assertThat(rest.get(rest.size() - 1).data().get("state").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(3)
    void modelsAreSharedAndAPromotionOnOneReplicaReachesTheOtherWithoutAFailedRequest() throws Exception {
        List<String> onA = new ArrayList<>();
        api("replica-a").get("/models").json().forEach(m -> onA.add(m.get("id").asString()));
        assertThat(onA).hasSizeGreaterThanOrEqualTo(3);
        long listed = System.nanoTime();
        List<String> onB = new ArrayList<>();
        do {
            onB.clear();
            api("replica-b").get("/models").json().forEach(m -> onB.add(m.get("id").asString()));
        } while (!onB.containsAll(onA) && System.nanoTime() - listed < HANG.toNanos());
        assertThat(onB).as("replica-b's models").containsExactlyInAnyOrderElementsOf(onA);

        String pixels = "{\"pixels\":[" + "0,".repeat(783) + "0]}";
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Thread client = new Thread(() -> {
                while (!stop.get()) {
                    ApiClient.Response response = api("replica-b").post("/predict", pixels);
                    if (response.status() == 200) {
                        answered.incrementAndGet();
                    } else {
                        failures.add(response.status() + " " + response.body());
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        long slowest = 0;
        for (int i = 0; i < 6; i++) { // each of the 3 models at least twice
            String target = onA.get(i % onA.size());
            assertThat(api("replica-a").post("/models/" + target + "/promote", null).status()).isEqualTo(200);
            long promoted = System.nanoTime();
            while (!api("replica-b").post("/predict", pixels).json().get("modelId").asString().equals(target)) {
                assertThat(Duration.ofNanos(System.nanoTime() - promoted)).as("promotion %d reached replica-b", i)
                        .isLessThan(HANG);
                Thread.sleep(20);
            }
            slowest = Math.max(slowest, System.nanoTime() - promoted);
        }
        stop.set(true);
        for (Thread client : clients) {
            client.join();
        }
        System.out.println("promotions: slowest reached the other replica after " + TimeUnit.NANOSECONDS.toMillis(slowest)
                + " ms; " + answered.get() + " predictions answered meanwhile");
        assertThat(failures).isEmpty();
        assertThat(answered.get()).isPositive();
    }

    @Test
    @Order(4)
    void aCancelSentToTheOtherReplicaStopsTheJobAndAResumeContinuesIt() {
        String id = api("replica-a").submit("{\"model\":\"cnn\",\"steps\":150,\"logEvery\":25,\"checkpointEvery\":50,\"seed\":7}")
                .get("id").asString();
        JsonNode running = api("replica-a").awaitJob(id, j -> j.get("state").asString().equals("RUNNING")
                && j.get("step").asInt() >= 50, Duration.ofMinutes(2));
        String owner = running.get("node").asString();

        assertThat(api(other(owner)).post("/jobs/" + id + "/cancel", null).status()).isEqualTo(202);
        JsonNode cancelled = api(owner).awaitJob(id, j -> j.get("state").asString().equals("CANCELLED"), Duration.ofSeconds(30));
        assertThat(cancelled.get("step").asInt()).isLessThan(150);

        assertThat(api(owner).post("/jobs/" + id + "/resume", null).status()).isEqualTo(202);
        JsonNode done = api(other(owner)).awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofMinutes(2));
        assertThat(done.get("step").asInt()).isEqualTo(150);
    }

    @Test
    @Order(5)
    void theBucketAwayFor20SecondsStopsNoJobAndItsUploadsCatchUp() throws Exception {
        String id = api("replica-a").submit("{\"model\":\"cnn\",\"steps\":400,\"batchSize\":20,\"logEvery\":20,"
                + "\"checkpointEvery\":50,\"seed\":9}").get("id").asString();
        JsonNode stored = api("replica-a").awaitJob(id, j -> j.path("storedStep").asInt(0) >= 50, Duration.ofMinutes(2));
        String owner = stored.get("node").asString();
        s3.stop();
        JsonNode down;
        try {
            int stepAtStop = api(owner).get("/jobs/" + id).json().get("step").asInt();
            long deadline = System.nanoTime() + HANG.toNanos();
            ApiClient.Response readiness;
            do {
                Thread.sleep(250);
                readiness = replicas.get(owner).management().get("/actuator/health/readiness");
            } while (readiness.status() == 200 && System.nanoTime() < deadline);
            assertThat(readiness.status()).as("readiness while the bucket is away").isEqualTo(503);
            down = readiness.json().get("components").get("artifactStore");
            Thread.sleep(Math.max(0, 20_000 - 250));
            JsonNode during = api(owner).get("/jobs/" + id).json();
            assertThat(during.get("step").asInt()).as("the job trained on without the bucket").isGreaterThan(stepAtStop);
            System.out.println("bucket away 20 s: the job went from step " + stepAtStop + " to " + during.get("step").asInt()
                    + "; stored step " + during.path("storedStep").asInt());
        } finally {
            s3.resume();
        }
        assertThat(down.get("status").asString()).isEqualTo("DOWN");
        assertThat(down.get("details").get("reason").asString()).contains(s3.endpoint().toString());

        JsonNode done = api(other(owner)).awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED")
                && j.path("storedStep").asInt(0) == 400, Duration.ofMinutes(3));
        assertThat(done.get("step").asInt()).isEqualTo(400);
        assertThat(api(other(owner)).post("/models/" + done.get("modelId").asString() + "/predict",
                "{\"pixels\":[" + "0,".repeat(783) + "0]}").status()).as("its model answers on the other replica").isEqualTo(200);
        long deadline = System.nanoTime() + HANG.toNanos();
        while (replicas.get(owner).management().get("/actuator/health/readiness").status() != 200) {
            assertThat(System.nanoTime()).as("readiness back once the bucket is").isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    @Test
    @Order(6)
    void aKilledReplicasJobResumesOnTheOtherFromTheBucketRefusingADamagedCheckpoint() throws Exception {
        String id = api("replica-a").submit("{\"model\":\"cnn\",\"steps\":100,\"logEvery\":10,\"checkpointEvery\":20,\"seed\":8}")
                .get("id").asString();
        JsonNode running = api("replica-a").awaitJob(id, j -> j.get("state").asString().equals("RUNNING")
                && j.path("storedStep").asInt(0) >= 40, Duration.ofMinutes(2));
        String victim = running.get("node").asString();
        String survivor = other(victim);

        long killed = System.nanoTime();
        replicas.get(victim).process().destroyForcibly().waitFor();
        // What the bucket holds now that no one writes to it: the newest complete checkpoint is damaged by one byte.
        List<Long> complete = completeCheckpoints(id);
        assertThat(complete).hasSize(2);
        long newest = complete.get(1);
        Path data = s3.objectFile(bucket, "fleet/jobs/" + id + "/checkpoints/ckpt-" + newest + ".data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 1;
        Files.write(data, bytes);

        api(survivor).awaitJob(id, j -> j.get("node").asString().equals(survivor)
                && j.get("state").asString().equals("RUNNING"), LEASE.multipliedBy(5));
        Duration failover = Duration.ofNanos(System.nanoTime() - killed);
        System.out.println("failover: job " + id + " running again on " + survivor + " " + failover.toMillis() + " ms after SIGKILL");

        JsonNode done = api(survivor).awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofMinutes(2));
        assertThat(done.get("step").asInt()).isEqualTo(100);
        List<SseEvent> history = api(survivor).allEvents(id, null);
        SseEvent moved = history.stream()
                .filter(e -> e.type().equals("state") && e.data().path("message").asString("").contains("ended without handing the job back"))
                .findFirst().orElseThrow();
        assertThat(moved.data().get("message").asString()).contains(victim).endsWith("on " + survivor);
        List<Integer> progressAfter = history.stream().filter(e -> e.id() > moved.id() && e.type().equals("progress"))
                .map(e -> e.data().get("step").asInt()).toList();
        assertThat(progressAfter.get(0)).as("resumed from the checkpoint before the damaged one, in the bucket")
                .isEqualTo((int) complete.get(0).longValue());
        assertThat(replicas.get(survivor).output()).contains("checkpoint " + newest + " in the store is refused");
        assertThat(history).extracting(SseEvent::id).doesNotHaveDuplicates().isSorted();
        assertThat(failover).isLessThan(LEASE.multipliedBy(5));
        JsonNode fleet = replicas.get(survivor).management().get("/actuator/health").json().get("components").get("jobStore").get("details");
        assertThat(fleet.get("replicas")).filteredOn(r -> r.get("name").asString().equals(victim))
                .singleElement().satisfies(r -> assertThat(r.get("alive").asBoolean()).as("the killed replica is not alive").isFalse());
    }

    /** The steps of the job's checkpoints whose manifest is in the bucket, oldest first. */
    private List<Long> completeCheckpoints(String id) throws Exception {
        Path dir = s3.objectFile(bucket, "fleet/jobs/" + id + "/checkpoints");
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".manifest.json"))
                    .map(n -> Long.parseLong(n.substring("ckpt-".length(), n.indexOf('.')))).sorted().toList();
        }
    }

    private int claimsLeft() throws Exception {
        try (Connection connection = DriverManager.getConnection(database, "postgres", "");
             ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM scheduled_tasks")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
