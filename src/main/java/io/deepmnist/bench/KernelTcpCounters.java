package io.deepmnist.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux's TCP counters that say where connections waited: accept queues that overflowed (the SYN is dropped and
 * retried after a second) and SYNs sent again. Whole machine, from {@code /proc/net/netstat}; empty elsewhere.
 */
final class KernelTcpCounters {

    private static final List<String> NAMES = List.of("ListenOverflows", "ListenDrops", "TCPSynRetrans");

    private KernelTcpCounters() {
    }

    static Map<String, Long> read() {
        Map<String, Long> counters = new LinkedHashMap<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                String[] names = lines.get(i).split("\\s+");
                String[] values = lines.get(i + 1).split("\\s+");
                for (int k = 1; k < Math.min(names.length, values.length); k++) {
                    if (NAMES.contains(names[k])) {
                        counters.put(names[k], Long.parseLong(values[k]));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return counters;
    }

    /** How much each counter grew since {@code before}. */
    static Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> now = read();
        Map<String, Long> grown = new LinkedHashMap<>();
        now.forEach((name, value) -> grown.put(name, value - before.getOrDefault(name, value)));
        return grown;
    }
}
