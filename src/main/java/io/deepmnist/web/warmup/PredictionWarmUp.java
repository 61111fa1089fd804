package io.deepmnist.web.warmup;

import io.deepmnist.config.InferenceProperties;
import io.deepmnist.engine.JitActivity;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.web.http.SecurityProperties;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Warms the request paths up at start-up. First the service opens {@value ConnectionWarmUp#REQUESTS} connections
 * to its own port, each with a request that is refused at once ({@link ConnectionWarmUp}), for a crowd of
 * reconnecting clients. Then it sends itself single-image predictions for its default
 * model over its own port, {@value #CLIENTS} at a time ({@link WarmUpClient}), until the JIT compiler has caught up
 * ({@link JitActivity}), for {@code mnist.inference.warm-up} at most, and its readiness stays OUT_OF_SERVICE until
 * then. The JVM compiles a request path only after thousands of calls; until then Jetty, Spring MVC, Jackson and
 * the batcher run interpreted or half-compiled. On the 2-core build machine the compiler needed 25-45 s of such
 * load to catch up: after a fixed 10 s warm-up the first 2 s at concurrency 1 answered about 520 requests/s and
 * the JIT went on compiling for another 20 s, against about 1,000-1,100 once warm. Stopping on the compiler
 * rather than the clock fits both a small machine and a large one, which catches up sooner. TF Serving's
 * SavedModel warm-up serves the same purpose for its first requests. A replica that starts without a default
 * model is ready after the refusals; one that cannot reach its own port (TLS) is ready at once.
 */
@Component
class PredictionWarmUp implements HealthIndicator {

    static final int CLIENTS = 4;
    private static final long SAMPLE_EVERY_MS = 250;
    private static final String NO_MODEL = "no default model yet: no predictions to warm up";
    private static final Logger log = LoggerFactory.getLogger(PredictionWarmUp.class);

    enum Phase { NOT_STARTED, CONNECTIONS, WAITING_FOR_MODEL, RUNNING, DONE, SKIPPED, OFF }

    private final ModelRegistry registry;
    private final Duration duration;
    private final SecurityProperties security;
    private final Environment environment;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Phase phase = Phase.NOT_STARTED;
    private volatile String note;
    private volatile boolean stopping;
    private volatile long startNanos;
    private volatile long seconds;
    private volatile double compiling = -1;
    private volatile boolean caughtUp;
    private volatile ConnectionWarmUp connections;

    PredictionWarmUp(ModelRegistry registry, InferenceProperties properties, SecurityProperties security, Environment environment) {
        this.registry = registry;
        this.duration = properties.warmUp();
        this.security = security;
        this.environment = environment;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        if (duration.isZero() || duration.isNegative()) {
            finish(Phase.OFF, "mnist.inference.warm-up is " + duration.toMillis() + " ms");
        } else if (!(event.getApplicationContext() instanceof WebServerApplicationContext web) || web.getWebServer().getPort() <= 0) {
            finish(Phase.SKIPPED, "no HTTP port to send predictions to");
        } else if (environment.getProperty("server.ssl.enabled", Boolean.class, false)) {
            finish(Phase.SKIPPED, "the API port speaks TLS; the warm-up speaks plain HTTP");
        } else {
            phase = Phase.CONNECTIONS;
            startNanos = System.nanoTime();
            String host = host();
            int port = web.getWebServer().getPort();
            connections = new ConnectionWarmUp(host, port);
            URI predict = URI.create("http://" + host + ":" + port + "/predict");
            Thread runner = new Thread(() -> run(predict), "prediction-warm-up");
            runner.setDaemon(true);
            runner.start();
        }
    }

    @EventListener
    void onClose(ContextClosedEvent event) {
        stopping = true;
    }

    @Override
    public Health health() {
        Phase now = phase;
        Health.Builder health = now == Phase.CONNECTIONS || now == Phase.WAITING_FOR_MODEL || now == Phase.RUNNING
                ? Health.outOfService() : Health.up();
        health.withDetail("phase", now.name().toLowerCase(Locale.ROOT).replace('_', ' ')).withDetail("requests", requests.get());
        ConnectionWarmUp refused = connections;
        if (refused != null) {
            health.withDetail("refusedConnections", refused.sent());
        }
        if (now == Phase.RUNNING) {
            long elapsed = (System.nanoTime() - startNanos) / 1_000_000_000;
            health.withDetail("seconds", elapsed).withDetail("secondsLeftAtMost", Math.max(0, duration.toSeconds() - elapsed));
            double share = compiling;
            if (share >= 0) {
                health.withDetail("jitCompiling", percent(share));
            }
        } else if (now == Phase.DONE) {
            health.withDetail("seconds", seconds).withDetail("ended", ending());
        }
        String why = note;
        return (why == null ? health : health.withDetail("note", why)).build();
    }

    private void run(URI predict) {
        try {
            long deadline = startNanos + duration.toNanos();
            String refusals = connections.run(CLIENTS, startNanos + duration.toNanos() / 2, () -> stopping);
            log.info("Warm-up: {} requests refused on connections of their own in {} ms{}", connections.sent(),
                    (System.nanoTime() - startNanos) / 1_000_000, refusals == null ? "" : "; stopped: " + refusals);
            if (registry.defaultModelId().isEmpty()) {
                finish(Phase.SKIPPED, refusals == null ? NO_MODEL : NO_MODEL + "; " + refusals);
                return;
            }
            phase = Phase.WAITING_FOR_MODEL;
            while (!registry.isDefaultReady() && !stopping) {
                Thread.sleep(50);
            }
            if (registry.defaultModelId().isEmpty()) {
                finish(Phase.SKIPPED, NO_MODEL);
                return;
            }
            phase = Phase.RUNNING;
            log.info("Warming the prediction path up until the JIT compiler has caught up, for {} s at most: {} clients "
                    + "sending predictions to {}; ready after that", duration.toSeconds(), CLIENTS, predict);
            WarmUpClient client = new WarmUpClient(predict, security.predictionsNeedKey() ? security.apiKey() : null);
            String failure = send(client, deadline);
            failure = failure == null ? refusals : refusals == null ? failure : refusals + "; " + failure;
            seconds = Math.round((System.nanoTime() - startNanos) / 1e9);
            finish(Phase.DONE, failure);
            if (failure == null) {
                log.info("Warm-up done: {} predictions in {} s; {}; ready", requests.get(), seconds, ending());
            } else {
                log.warn("Warm-up stopped after {} predictions: {}; ready anyway", requests.get(), failure);
            }
        } catch (InterruptedException e) {
            finish(Phase.DONE, "interrupted");
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends predictions until the JIT compiler has caught up or the deadline passes.
     *
     * @return what went wrong, or null
     */
    private String send(WarmUpClient client, long deadline) throws InterruptedException {
        AtomicBoolean enough = new AtomicBoolean();
        String[] failures = new String[CLIENTS];
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int index = c;
            Thread sender = new Thread(() -> failures[index] = client.sendUntil(deadline, index,
                    () -> stopping || enough.get(), requests::incrementAndGet), "prediction-warm-up-" + (c + 1));
            sender.setDaemon(true);
            sender.start();
            senders.add(sender);
        }
        JitActivity jit = new JitActivity(JitActivity.QUIET_WINDOW);
        jit.sample(System.nanoTime());
        while (senders.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(SAMPLE_EVERY_MS);
            compiling = jit.sample(System.nanoTime());
            if (jit.caughtUp()) {
                caughtUp = true;
                enough.set(true);
            }
        }
        for (Thread t : senders) {
            t.join();
        }
        for (String failure : failures) {
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    private String ending() {
        if (caughtUp) {
            return "the JIT compiler had caught up";
        }
        return stopping ? "the service is stopping" : "the limit of " + duration.toSeconds() + " s was reached";
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %% of a core", share * 100);
    }

    /** The address the API port listens on, or loopback when it listens on all of them. */
    private String host() {
        String address = environment.getProperty("server.address");
        if (address == null || address.isBlank() || address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")) {
            return "127.0.0.1";
        }
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    private void finish(Phase end, String why) {
        note = why;
        phase = end;
        if (end == Phase.OFF || end == Phase.SKIPPED) {
            log.info("No prediction warm-up: {}", why);
        }
    }
}
