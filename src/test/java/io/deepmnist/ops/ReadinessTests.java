package io.deepmnist.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.DeepMnistApplication;
import io.deepmnist.TestHome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The readiness probe is DOWN while the service starts and UP once it is ready for traffic. */
class ReadinessTests {

    @Test
    void readinessGoesFromDownToUpAsTheServiceBecomesReady() {
        List<Integer> seen = new ArrayList<>();
        SpringApplication application = new SpringApplication(DeepMnistApplication.class);
        // Listening already, but the start-up work (recovering jobs) is not done: not ready yet.
        application.addListeners((ApplicationStartedEvent started) -> {
            int port = ((WebServerApplicationContext) started.getApplicationContext()).getWebServer().getPort();
            ApiClient.Response readiness = new ApiClient(port).get("/readyz");
            seen.add(readiness.status());
            assertThat(readiness.json().get("status").asString()).isEqualTo("OUT_OF_SERVICE");
        });
        try (ConfigurableApplicationContext context = application.run("--server.port=0", "--management.server.port=0", "--mnist.home=" + TestHome.create())) {
            ApiClient management = TestHome.management(context);
            seen.add(management.get("/actuator/health/readiness").status());
            assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
            assertThat(TestHome.api(context).get("/readyz").status()).isEqualTo(200);
        }
        assertThat(seen).containsExactly(503, 200);
    }
}
