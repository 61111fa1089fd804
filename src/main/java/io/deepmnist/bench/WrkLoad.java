package io.deepmnist.bench;

import io.deepmnist.engine.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Load from {@code wrk} (Debian's package), in its own process, so that the client does not share this JVM's
 * threads, heap and JIT with the service. One body, POSTed over and over; the result has the same fields as
 * {@link LoadGenerator}'s.
 */
final class WrkLoad {

    private static final String SCRIPT = """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "%s"
            local f = io.open("%s", "rb")
            wrk.body = f:read("*a")
            f:close()
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
                e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50), latency:percentile(99)))
            end
            """;

    private WrkLoad() {
    }

    /** wrk's path, if it is installed. */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path wrk = Path.of(dir, "wrk");
            if (Files.isExecutable(wrk)) {
                return Optional.of(wrk);
            }
        }
        return Optional.empty();
    }

    static LoadGenerator.Result run(Path wrk, String url, String contentType, byte[] body, int concurrency, Duration measure)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("wrk");
        try {
            Path bodyFile = Files.write(dir.resolve("body"), body);
            Path script = Files.writeString(dir.resolve("post.lua"), SCRIPT.formatted(contentType, bodyFile), StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(List.of(wrk.toString(), "-t", Integer.toString(Math.min(concurrency, 2)),
                    "-c", Integer.toString(concurrency), "-d", measure.toSeconds() + "s", "--timeout", "5s", "-s", script.toString(), url))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(measure.toSeconds() + 30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("wrk failed: " + output);
            }
            String[] f = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new IOException("no result from wrk: " + output)).split(" ");
            long requests = Long.parseLong(f[1]);
            double seconds = Long.parseLong(f[2]) / 1e6;
            return new LoadGenerator.Result(concurrency, requests / seconds, Long.parseLong(f[4]) / 1000.0,
                    Long.parseLong(f[5]) / 1000.0, requests, Long.parseLong(f[3]));
        } finally {
            FileTrees.delete(dir);
        }
    }
}
