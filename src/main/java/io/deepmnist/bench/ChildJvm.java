package io.deepmnist.bench;

import java.util.ArrayList;
import java.util.List;

/** A {@code bench} subcommand in a JVM of its own, started from the same jar or class path as this one. */
final class ChildJvm {

    private ChildJvm() {
    }

    static List<String> command(List<String> jvmOptions, String... benchArgs) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.addAll(jvmOptions);
        String mainClassOrJar = System.getProperty("sun.java.command", "").split(" ")[0];
        if (mainClassOrJar.endsWith(".jar")) {
            command.addAll(List.of("-jar", System.getProperty("java.class.path")));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClassOrJar));
        }
        command.add(BenchCommand.NAME);
        command.addAll(List.of(benchArgs));
        return command;
    }
}
