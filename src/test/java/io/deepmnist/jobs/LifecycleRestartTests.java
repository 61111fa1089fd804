package io.deepmnist.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The training workers, the event relay and the web server stop and start again with their context, as Spring's
 * test context cache does to a context it pauses between test classes: jobs still run afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LifecycleRestartTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestHome.register(registry);
    }

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void jobsRunAfterTheContextIsStoppedAndStartedAgain() {
        context.stop();
        context.start();

        // The web server starts again on a new random port.
        ApiClient api = TestHome.api(context);
        String id = api.submit("{\"model\":\"softmax\",\"steps\":20}").get("id").asString();
        assertThat(api.awaitJob(id, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(60))
                .get("step").asInt()).isEqualTo(20);
        assertThat(api.allEvents(id, null)).isNotEmpty();
    }
}
