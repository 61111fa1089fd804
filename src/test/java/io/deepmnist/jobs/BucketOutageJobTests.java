package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.DeepMnistApplication;
import io.deepmnist.S3Server;
import io.deepmnist.TestHome;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A job submitted while the bucket is away trains at once (it has nothing there to resume from); its model waits
 * for the bucket, and the job succeeds once the bucket is back.
 */
class BucketOutageJobTests {

    @Test
    void aNewJobTrainsWhileTheBucketIsAwayAndSucceedsOnceItIsBack() {
        S3Server s3 = S3Server.start();
        S3Server.useCredentialsInThisJvm();
        String bucket = s3.newBucket();
        try (ConfigurableApplicationContext service = SpringApplication.run(DeepMnistApplication.class, "--server.port=0",
                "--management.server.port=0", "--mnist.home=" + TestHome.create(), "--mnist.artifacts.location=s3://" + bucket
                        + "/jobs-test", "--mnist.artifacts.s3.endpoint=" + s3.endpoint(), "--mnist.artifacts.retry-max=1s")) {
            ApiClient api = TestHome.api(service);
            s3.stop();
            String id;
            try {
                id = api.submit("{\"model\":\"softmax\",\"steps\":300,\"logEvery\":50,\"checkpointEvery\":100}").get("id").asString();
                JsonNode trained = api.awaitJob(id, j -> j.get("step").asInt() >= 100, Duration.ofSeconds(60));
                assertThat(trained.get("state").asString()).isEqualTo("RUNNING");
                assertThat(trained.path("storedStep").isNull()).as("nothing reached the bucket").isTrue();
            } finally {
                s3.resume();
            }
            JsonNode done = api.awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(60));
            assertThat(done.get("step").asInt()).isEqualTo(300);
            assertThat(api.post("/models/" + done.get("modelId").asString() + "/predict", "{\"pixels\":[" + "0,".repeat(783) + "0]}")
                    .status()).isEqualTo(200);
        } finally {
            s3.close();
        }
    }
}
