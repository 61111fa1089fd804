package io.deepmnist.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Liveness under a connection flood. A prober asks {@code /actuator/health/liveness} on the management port every
 * 20 ms, on a new connection each time as the kubelet does, through the first CNN job's start (dataset load,
 * graph building) and then through rounds in which {@code connections} event-stream requests on that job are opened
 * all at once. Prints the probes' median, p99 and slowest answer per phase, against the 250 ms the service aims for
 * and the 1 s of Kubernetes' default probe timeout. The client shares the service's process, so a pause of either
 * counts against the service.
 */
final class FloodBenchmark {

    static final Duration QUIET = Duration.ofSeconds(2);

    private final int connections;
    private final int rounds;
    private final Function<String[], ConfigurableApplicationContext> service;
    private final BenchCalls calls = new BenchCalls("");

    FloodBenchmark(int connections, int rounds, Function<String[], ConfigurableApplicationContext> service) {
        this.connections = connections;
        this.rounds = rounds;
        this.service = service;
    }

    int run() throws Exception {
        BenchHome home = new BenchHome(service);
        try (ConfigurableApplicationContext svc = home.startService()) {
            String base = BenchHome.baseUrl(svc);
            int management = svc.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
            LivenessProber prober = new LivenessProber(management);
            prober.start("idle");
            Thread.sleep(QUIET.toMillis());

            prober.phase("first job's start");
            String id = calls.json(base + "/jobs", "{\"model\":\"cnn\",\"steps\":20000,\"logEvery\":100,\"checkpointEvery\":0}")
                    .get("id").asString();
            awaitTraining(base + "/jobs/" + id);
            Thread.sleep(QUIET.toMillis());

            Map<String, ConnectionFlood.Outcome> floods = new LinkedHashMap<>();
            Map<String, Map<String, Long>> kernel = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                String phase = "flood " + round;
                prober.phase(phase);
                Map<String, Long> before = KernelTcpCounters.read();
                ConnectionFlood.Outcome outcome = new ConnectionFlood(base, "/jobs/" + id + "/events", connections).run();
                floods.put(phase, outcome);
                kernel.put(phase, KernelTcpCounters.since(before));
                prober.phase("after " + phase);
                Thread.sleep(QUIET.toMillis());
            }
            calls.send(base + "/jobs/" + id + "/cancel", "");
            List<LivenessProber.Phase> phases = prober.stop();
            return report(phases, floods, kernel);
        } finally {
            home.delete();
        }
    }

    private int report(List<LivenessProber.Phase> phases, Map<String, ConnectionFlood.Outcome> floods,
            Map<String, Map<String, Long>> kernel) {
        System.out.printf("%-22s %7s %9s %9s %9s %17s %8s%n", "liveness during", "probes", "median ms", "p99 ms", "max ms",
                "of it connecting", "not 200");
        double worst = 0;
        long failed = 0;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LivenessProber.Phase phase : phases) {
            double[] ms = phase.latenciesMs();
            double max = Stats.percentile(ms, 100);
            if (phase.name().startsWith("flood")) {
                worst = Math.max(worst, max);
            }
            failed += phase.notOk();
            System.out.printf("%-22s %7d %9.1f %9.1f %9.1f %17.1f %8d%n", phase.name(), ms.length, Stats.percentile(ms, 50),
                    Stats.percentile(ms, 99), max, phase.slowestConnectMs(), phase.notOk());
            rows.add(Map.of("phase", phase.name(), "probes", ms.length, "medianMs", Stats.round(Stats.percentile(ms, 50), 1),
                    "p99Ms", Stats.round(Stats.percentile(ms, 99), 1), "maxMs", Stats.round(max, 1),
                    "maxConnectMs", Stats.round(phase.slowestConnectMs(), 1), "notOk", phase.notOk()));
        }
        floods.forEach((phase, outcome) -> System.out.printf("%s: %d connections: %d streams opened, %d refused with 429, %d other;"
                + " the kernel meanwhile (whole machine): %s%n", phase, connections, outcome.opened(), outcome.refused(),
                outcome.other(), kernel.get(phase)));
        System.out.printf("slowest liveness answer during the floods %.0f ms (aim: under 250 ms; Kubernetes' default probe"
                + " timeout: 1,000 ms)%n", worst);
        BenchHome.writeResults("flood.json", Map.of("connections", connections, "liveness", rows, "floods", floods, "kernel", kernel,
                "slowestDuringFloodsMs", Stats.round(worst, 1)));
        if (failed > 0) {
            System.out.println("flood FAILED: " + failed + " liveness probes did not answer 200");
            return 1;
        }
        return 0;
    }

    private void awaitTraining(String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (calls.json(job, null).path("step").asInt(0) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the flood's job did not start training within 2 minutes");
            }
            Thread.sleep(50);
        }
    }
}
