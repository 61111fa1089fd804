package io.deepmnist.jobs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * This process's name among the replicas, in the job records and in the claims of the job store: unique per
 * process, also for two replicas on one host ({@code mnist.jobs.node}, else host name, process id and a tag).
 */
@Component
public class NodeName {

    private final String name;

    NodeName(JobsProperties properties) {
        this.name = properties.node() != null && !properties.node().isBlank() ? properties.node().strip() : generated();
    }

    public String name() {
        return name;
    }

    private static String generated() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String tag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(0x10000));
        String name = host + "-" + ProcessHandle.current().pid() + "-" + tag;
        return name.length() > 100 ? name.substring(name.length() - 100) : name;
    }
}
