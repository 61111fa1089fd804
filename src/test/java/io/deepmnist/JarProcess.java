package io.deepmnist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged jar as a child process, as a user starts it with {@code java -jar}; its output goes to a file. */
public final class JarProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "deep-mnist-service.jar");
    private static final List<String> SUREFIRE_TENSORFLOW_VARIABLES = List.of("TF_ENABLE_ONEDNN_OPTS", "TF_OVERRIDE_GLOBAL_THREADPOOL");

    private final Process process;
    private final Path log;
    private final ApiClient api;
    private final ApiClient management;

    private JarProcess(Process process, Path log, ApiClient api, ApiClient management) {
        this.process = process;
        this.log = log;
        this.api = api;
        this.management = management;
    }

    /**
     * Starts the jar on a free port with {@code home} and extra {@code --name=value} settings, and waits until it
     * answers its health endpoint.
     */
    public static JarProcess start(Path home, String logName, String... settings) throws IOException, InterruptedException {
        return launch(home, logName, settings).awaitHealthy();
    }

    /** Starts the jar without waiting for it, so that several can start at once; then {@link #awaitHealthy()}. */
    public static JarProcess launch(Path home, String logName, String... settings) throws IOException {
        return launch(home, logName, Map.of(), settings);
    }

    /** {@link #launch(Path, String, String...)} with extra environment variables, such as an S3 server's credentials. */
    public static JarProcess launch(Path home, String logName, Map<String, String> environment, String... settings) throws IOException {
        assertThat(JAR).as("the packaged jar; the build packages it before the tests run (./mvnw verify)").exists();
        int port = freePort();
        int managementPort = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createDirectories(Path.of("target", "process-tests")).resolve(logName);
        // C1 only, as in the test JVMs: a start costs about 15 s of CPU instead of 21 here, where the other test JVM
        // competes for the two cores. The JIT changes no behaviour the tests look at.
        List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "--server.port=" + port,
                "--management.server.port=" + managementPort, "--mnist.home=" + home, "--mnist.grpc.port=0"));
        command.addAll(List.of(settings));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Surefire sets these for its own JVM; the jar must set them for itself, as it does for a user.
        builder.environment().keySet().removeAll(SUREFIRE_TENSORFLOW_VARIABLES);
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new JarProcess(process, log, new ApiClient(port), new ApiClient(managementPort));
    }

    /** Waits, two minutes at most, until the service answers its health endpoint with 200. */
    public JarProcess awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                if (management.get("/actuator/health").status() == 200) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            assertThat(process.isAlive()).as("the service exited; see " + log).isTrue();
            assertThat(System.nanoTime()).as("the service did not start in time; see " + log).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    public ApiClient api() {
        return api;
    }

    /** Actuator, on its own port. */
    public ApiClient management() {
        return management;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public Process process() {
        return process;
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
