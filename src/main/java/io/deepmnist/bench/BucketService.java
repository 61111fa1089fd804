package io.deepmnist.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/** A second service, on a scratch home of its own, whose checkpoints and models go to a bucket. */
final class BucketService implements AutoCloseable {

    private final BenchHome home;
    private final ConfigurableApplicationContext app;

    private BucketService(BenchHome home, ConfigurableApplicationContext app) {
        this.home = home;
        this.app = app;
    }

    /** Credentials come from the AWS SDK's default chain, as for the service itself. */
    static BucketService start(Function<String[], ConfigurableApplicationContext> service, String location, String endpoint) {
        BenchHome home = new BenchHome(service);
        List<String> settings = new ArrayList<>(List.of("--mnist.artifacts.location=" + location));
        if (endpoint != null) {
            settings.add("--mnist.artifacts.s3.endpoint=" + endpoint);
        }
        try {
            return new BucketService(home, home.startService(settings.toArray(String[]::new)));
        } catch (RuntimeException e) {
            home.delete();
            throw e;
        }
    }

    String base() {
        return BenchHome.baseUrl(app);
    }

    @Override
    public void close() {
        app.close();
        home.delete();
    }
}
