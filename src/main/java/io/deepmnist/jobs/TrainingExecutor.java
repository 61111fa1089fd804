package io.deepmnist.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.TrainingDevices;
import io.deepmnist.store.StoreKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The training workers of this process: one per compute device, claiming queued jobs from the job store through
 * db-scheduler (one task instance per job). A claim is kept alive by heartbeats; a claim whose heartbeats stop
 * (the process died) is revived on a worker of any process, and the job resumes from its last checkpoint.
 * Training never runs on a request thread. On stop, running jobs are asked to checkpoint and are queued again.
 */
@Component
class TrainingExecutor implements SmartLifecycle {

    static final String TASK = "train-job";
    private static final Logger log = LoggerFactory.getLogger(TrainingExecutor.class);

    private final List<ComputeDevice> devices;
    private final BlockingQueue<ComputeDevice> freeDevices;
    private final Map<String, RunControl> controls = new ConcurrentHashMap<>();
    private final JobRunner runner;
    private final JobRepository jobs;
    private final DataSource dataSource;
    private final StoreKind store;
    private final JdbcClient jdbc;
    private final JobsProperties properties;
    private final NodeName node;
    private final CustomTask<Void> task;
    private final SchedulerClient client;
    private volatile Scheduler scheduler;
    private volatile ScheduledExecutorService cancelWatch;
    private volatile boolean running;
    private volatile boolean stopping;

    TrainingExecutor(DataSource dataSource, StoreKind store, JdbcClient jdbc, TrainingDevices devices, JobRunner runner,
                     JobRepository jobs, JobsProperties properties, NodeName node, MeterRegistry meters) {
        this.devices = devices.devices();
        this.freeDevices = new ArrayBlockingQueue<>(this.devices.size(), false, this.devices);
        this.runner = runner;
        this.jobs = jobs;
        this.dataSource = dataSource;
        this.store = store;
        this.jdbc = jdbc;
        this.properties = properties;
        this.node = node;
        this.task = Tasks.custom(TASK, Void.class).onDeadExecutionRevive()
                .execute((instance, context) -> execute(instance.getId(), context));
        this.client = SchedulerClient.Builder.create(dataSource, task).build();
        Gauge.builder("deepmnist.jobs.queue.depth", this, TrainingExecutor::queueDepth)
                .description("Jobs waiting for a training worker, on any replica").register(meters);
    }

    /** Makes the job claimable by any worker of any replica. */
    void schedule(String jobId) {
        // Through the running scheduler, a job submitted here starts at once instead of at the next poll.
        Scheduler current = scheduler;
        (current != null ? current : client).scheduleIfNotExists(task.instance(jobId), Instant.now());
    }

    /** Drops a queued job's claim before a worker takes it; a worker that took it meanwhile finds it not QUEUED. */
    void unschedule(String jobId) {
        try {
            client.cancel(TaskInstanceId.of(TASK, jobId));
        } catch (RuntimeException pickedOrGone) {
            log.debug("Job {} could not be unscheduled: {}", jobId, pickedOrGone.getMessage());
        }
    }

    /** Asks a job running here to stop at its next step boundary; elsewhere the store's flag reaches it. */
    void cancelLocally(String jobId) {
        RunControl control = controls.get(jobId);
        if (control != null) {
            control.cancel();
        }
    }

    /** Jobs running on this replica's workers now. */
    int runningControls() {
        return controls.size();
    }

    /** QUEUED jobs in the store, across every replica. */
    int queueDepth() {
        try {
            return (int) jobs.countByState(JobState.QUEUED);
        } catch (DataAccessException e) {
            return -1;
        }
    }

    List<ComputeDevice> devices() {
        return devices;
    }

    private CompletionHandler<Void> execute(String jobId, ExecutionContext context) {
        if (stopping) {
            return requeue();
        }
        ComputeDevice device = freeDevices.poll();
        if (device == null) {
            return requeue(); // never expected: there are as many scheduler threads as devices
        }
        // Stops well before another worker may revive the claim, which takes a whole lease without heartbeats.
        RunControl control = controls.computeIfAbsent(jobId, k -> new RunControl(
                () -> context.getCurrentlyExecuting().getHeartbeatState().getFractionDead() >= 0.5));
        try {
            runner.run(jobId, device, node.name(), control);
        } catch (DataAccessException e) {
            control.storeLost();
            log.warn("Job {} could not start: the job store cannot be reached ({})", jobId, e.getMostSpecificCause().getMessage());
        } catch (RuntimeException e) {
            log.error("Job {} failed outside its run", jobId, e);
        } finally {
            controls.remove(jobId);
            freeDevices.add(device);
        }
        if (control.isStoreLost()) {
            return (complete, operations) -> {
                // Left claimed: its heartbeats stop, and it is revived (here or elsewhere) once the store is back.
            };
        }
        return control.isShutdown() ? requeue() : new CompletionHandler.OnCompleteRemove<>();
    }

    /** Leaves the job's row in the store, unclaimed, for whichever worker comes next (here after a restart). */
    private static CompletionHandler<Void> requeue() {
        return (complete, operations) -> operations.reschedule(complete, Instant.now());
    }

    /**
     * Schedules QUEUED jobs that have no claim row. A resume can come while the job's previous run is still being
     * completed: the row still exists, so scheduling it does nothing, and the completion then removes it.
     */
    private void scheduleOrphans() {
        try {
            jdbc.sql("SELECT id FROM job WHERE state = 'QUEUED' AND id NOT IN "
                            + "(SELECT task_instance FROM scheduled_tasks WHERE task_name = ?)")
                    .param(TASK).query(String.class).list().forEach(id -> {
                        try {
                            schedule(id);
                        } catch (RuntimeException scheduledMeanwhile) {
                            log.debug("Job {} was scheduled meanwhile: {}", id, scheduledMeanwhile.getMessage());
                        }
                    });
        } catch (DataAccessException e) {
            log.debug("Cannot look for unscheduled jobs: {}", e.getMessage());
        }
    }

    private void watchCancels() {
        if (controls.isEmpty()) {
            return;
        }
        try {
            jobs.cancelRequested(List.copyOf(controls.keySet())).forEach(this::cancelLocally);
        } catch (DataAccessException e) {
            log.debug("Cannot read cancel requests: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        if (store.isEmbedded()) {
            // One process owns an embedded store: claims left by a previous run of it are stale at once.
            int released = jdbc.sql("UPDATE scheduled_tasks SET picked = FALSE, picked_by = NULL, last_heartbeat = NULL "
                    + "WHERE task_name = ? AND picked").param(TASK).update();
            if (released > 0) {
                log.info("Released {} claims left by the previous process", released);
            }
        }
        stopping = false;
        // Built here rather than once: a stopped scheduler cannot start again, and a context may be restarted.
        scheduler = Scheduler.create(dataSource, task)
                .schedulerName(new SchedulerName.Fixed(node.name()))
                .threads(devices.size())
                .pollingInterval(properties.poll())
                .heartbeatInterval(properties.lease().dividedBy(6))
                .missedHeartbeatsLimit(6)
                .enableImmediateExecution()
                .alwaysPersistTimestampInUTC()
                .shutdownMaxWait(properties.shutdownTimeout())
                .build();
        scheduler.start();
        cancelWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cancel-watch");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, properties.poll().toMillis() / 2);
        cancelWatch.scheduleWithFixedDelay(this::watchCancels, every, every, TimeUnit.MILLISECONDS);
        cancelWatch.scheduleWithFixedDelay(this::scheduleOrphans, properties.poll().toMillis(), properties.poll().toMillis(),
                TimeUnit.MILLISECONDS);
        running = true;
        log.info("Training workers of node {} started on {}", node.name(), devices.stream().map(ComputeDevice::name).toList());
    }

    @Override
    public void stop() {
        stopping = true;
        controls.values().forEach(RunControl::shutdown);
        cancelWatch.shutdownNow();
        scheduler.stop();
        scheduler = null;
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
