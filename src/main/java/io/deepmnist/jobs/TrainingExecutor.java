package io.deepmnist.jobs;

import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.TrainingDevices;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The training workers: one thread per compute device, all taking job ids from one bounded queue. Training
 * never runs on a request thread. On stop, running jobs are asked to checkpoint and the workers are joined.
 */
@Component
class TrainingExecutor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrainingExecutor.class);

    private final LinkedBlockingDeque<String> queue = new LinkedBlockingDeque<>();
    private final Map<String, RunControl> controls = new ConcurrentHashMap<>();
    private final List<ComputeDevice> devices;
    private final JobRunner runner;
    private final JobsProperties properties;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    TrainingExecutor(TrainingDevices devices, JobRunner runner, JobsProperties properties, MeterRegistry meters) {
        this.devices = devices.devices();
        this.runner = runner;
        this.properties = properties;
        Gauge.builder("deepmnist.jobs.queue.depth", queue, LinkedBlockingDeque::size)
                .description("Jobs waiting for a training worker").register(meters);
    }

    /** Queues a job unless the queue is full. */
    boolean trySubmit(String jobId) {
        synchronized (queue) {
            if (!running || queue.size() >= properties.queueCapacity()) {
                return false;
            }
            queue.add(jobId);
            return true;
        }
    }

    /** Queues a job found unfinished at start-up, whatever the queue's size. */
    void requeue(String jobId) {
        queue.add(jobId);
    }

    /** Takes a job out of the queue; false if a worker already took it. */
    boolean removeQueued(String jobId) {
        return queue.remove(jobId);
    }

    /** Asks the job to stop at its next step boundary, now or as soon as a worker starts it. */
    void requestCancel(String jobId) {
        controls.computeIfAbsent(jobId, k -> new RunControl()).cancel();
    }

    int queueDepth() {
        return queue.size();
    }

    List<ComputeDevice> devices() {
        return devices;
    }

    @Override
    public synchronized void start() {
        running = true;
        for (ComputeDevice device : devices) {
            Thread worker = new Thread(() -> work(device), "train-" + device.type().toLowerCase() + "-" + device.index());
            worker.start();
            workers.add(worker);
        }
        log.info("Training workers started on {}", devices.stream().map(ComputeDevice::name).toList());
    }

    private void work(ComputeDevice device) {
        while (running) {
            String jobId;
            try {
                jobId = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (jobId == null) {
                continue;
            }
            RunControl control = controls.computeIfAbsent(jobId, k -> new RunControl());
            if (!running) {
                control.shutdown();
            }
            try {
                runner.run(jobId, device, control);
            } catch (RuntimeException e) {
                log.error("Job {} failed outside its run", jobId, e);
            } finally {
                controls.remove(jobId);
            }
        }
    }

    @Override
    public void stop() {
        List<Thread> toJoin;
        synchronized (this) {
            running = false;
            controls.values().forEach(RunControl::shutdown);
            toJoin = List.copyOf(workers);
            workers.clear();
        }
        long deadline = System.nanoTime() + properties.shutdownTimeout().toNanos();
        for (Thread worker : toJoin) {
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (worker.isAlive()) {
                log.warn("{} did not stop within {}; its job resumes from its last checkpoint on the next start",
                        worker.getName(), properties.shutdownTimeout());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
