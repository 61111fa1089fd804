package io.deepmnist;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The few programs the tests drive that Maven Central does not package (Chromium, its driver, promtool), found
 * wherever the system put them: an environment variable naming the file, else the first of their usual names on
 * the PATH. A missing one fails the test with the line that installs it; {@code scripts/test} installs them all.
 */
public final class SystemTools {

    public static final String INSTALL_HINT = "scripts/test installs it (it is the README's test command), or: ";

    private SystemTools() {
    }

    public static Path chromium() {
        return find("CHROME_BIN", "Chromium", "sudo apt-get install chromium",
                "chromium", "chromium-browser", "google-chrome-stable", "google-chrome");
    }

    public static Path chromedriver() {
        return find("CHROMEDRIVER", "ChromeDriver", "sudo apt-get install chromium-driver", "chromedriver");
    }

    public static Path promtool() {
        return find("PROMTOOL", "promtool (Prometheus' own metrics parser)", "sudo apt-get install prometheus", "promtool");
    }

    static Path find(String variable, String what, String install, String... names) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            Path path = Path.of(given);
            if (!Files.isExecutable(path)) {
                throw new AssertionError(variable + "=" + given + " is not an executable file; unset it to search the PATH");
            }
            return path;
        }
        return onPath(names).orElseThrow(() -> new AssertionError(what + " is not installed (looked for "
                + String.join(", ", names) + " on the PATH, and " + variable + "): " + INSTALL_HINT + install));
    }

    static Optional<Path> onPath(String... names) {
        List<String> dirs = Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        for (String name : names) {
            for (String dir : dirs) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
