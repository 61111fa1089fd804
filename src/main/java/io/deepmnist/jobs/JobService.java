package io.deepmnist.jobs;

import io.deepmnist.artifacts.ArtifactStore;
import io.deepmnist.artifacts.ArtifactStoreException;
import io.deepmnist.engine.ArtifactIds;
import io.deepmnist.engine.CheckpointInfo;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.Precision;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;

/**
 * The job lifecycle: a job is stored first and then queued; a refused submit leaves it FAILED. Refusals are
 * typed exceptions ({@link JobNotFoundException}, {@link JobStateException}, {@link QueueFullException}).
 */
@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final JobRepository jobs;
    private final JdbcAggregateTemplate aggregates;
    private final JobEventLog events;
    private final EventHub hub;
    private final TrainingExecutor executor;
    private final ArtifactStore artifacts;
    private final JobsProperties properties;
    private final EngineSettings engine;
    private final FeedbackExamples feedback;
    private final Clock clock;

    JobService(JobRepository jobs, JdbcAggregateTemplate aggregates, JobEventLog events, EventHub hub, TrainingExecutor executor, ArtifactStore artifacts,
               JobsProperties properties, EngineSettings engine, FeedbackExamples feedback, Clock clock) {
        this.jobs = jobs;
        this.aggregates = aggregates;
        this.events = events;
        this.hub = hub;
        this.executor = executor;
        this.artifacts = artifacts;
        this.properties = properties;
        this.engine = engine;
        this.feedback = feedback;
        this.clock = clock;
    }

    /** @param precision null: the configured default, {@code mnist.engine.precision} */
    public Job submit(Hyperparameters hyperparameters, Precision precision, boolean promote) {
        return submit(hyperparameters, precision, promote, TrainingPlan.NONE);
    }

    /**
     * @param plan what it starts from, mixes in and becomes; the caller checked that its model and alias exist and fit
     * @throws InvalidJobException where it asks for labelled examples and there are none yet
     */
    public Job submit(Hyperparameters hyperparameters, Precision precision, boolean promote, TrainingPlan plan) {
        if (plan.feedbackRatio() != null && feedback.count(clock.instant()) == 0) {
            throw new InvalidJobException("No prediction has been labelled yet, so there is no feedback to learn from: label "
                    + "answers first (POST /predictions/{predictionId}/feedback), or leave out data.feedback");
        }
        Job job = Job.queued(UUID.randomUUID().toString(), hyperparameters,
                precision != null ? precision : engine.precision(), promote, plan, clock.instant());
        aggregates.insert(job);
        events.appendState(job.id(), StateChange.of(JobState.QUEUED, null, 0, "queued"), false);
        enqueue(job.id(), JobState.QUEUED);
        return get(job.id());
    }

    public Job get(String id) {
        if (!ArtifactIds.isValid(id)) {
            throw new JobNotFoundException(id);
        }
        return jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    /** Newest first, optionally only those in {@code state}. */
    public Page<Job> list(JobState state, int page, int size) {
        PageRequest request = PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")));
        return state == null ? jobs.findAll(request) : jobs.findByState(state, request);
    }

    public Job cancel(String id) {
        Job job = get(id);
        if (!job.state().canCancel()) {
            throw new JobStateException(id, job.state(), "cancelled", "only QUEUED and RUNNING jobs can be");
        }
        if (job.state() == JobState.QUEUED
                && jobs.transition(id, List.of(JobState.QUEUED.name()), JobState.CANCELLED.name(), null, clock.instant()) == 1) {
            executor.unschedule(id);
            events.appendState(id, StateChange.of(JobState.CANCELLED, JobState.QUEUED, job.step(), "cancelled before it ran"), true);
        } else {
            // Running, here or on another replica: its worker reads the flag between steps.
            jobs.requestCancel(id);
            executor.cancelLocally(id);
        }
        return get(id);
    }

    public Job resume(String id) {
        Job job = get(id);
        if (!job.state().canResume()) {
            throw new JobStateException(id, job.state(), "resumed", job.state() == JobState.SUCCEEDED
                    ? "it already finished" : "only CANCELLED and FAILED jobs can be; it is still in progress");
        }
        if (jobs.transition(id, List.of(job.state().name()), JobState.QUEUED.name(), null, null) != 1) {
            throw new JobStateException(id, get(id).state(), "resumed", "its state changed meanwhile; read it again");
        }
        events.appendState(id, StateChange.of(JobState.QUEUED, job.state(), job.step(), "resuming from step " + job.step()), false);
        enqueue(id, JobState.QUEUED);
        return get(id);
    }

    public boolean exists(String id) {
        return jobs.existsById(id);
    }

    public void delete(String id) {
        Job job = get(id);
        if (!job.state().canDelete()) {
            throw new JobStateException(id, job.state(), "deleted", "cancel it first");
        }
        artifacts.deleteJob(id);
        events.delete(id);
        jobs.deleteById(id);
    }

    public List<CheckpointSummary> checkpoints(String id) {
        get(id);
        List<CheckpointInfo> stored;
        try {
            stored = artifacts.listCheckpoints(id);
        } catch (ArtifactStoreException e) {
            // The job's record must not depend on the bucket: this replica's own copies stand in.
            log.debug("Checkpoints of job {} listed locally: {}", id, e.getMessage());
            stored = artifacts.checkpoints(id).list();
        }
        return stored.stream().map(CheckpointSummary::of).toList();
    }

    /** Streams the job's events after {@code afterSeq}; see {@link EventHub#subscribe}. */
    public Runnable subscribe(String id, long afterSeq, EventSubscriber subscriber) {
        hub.checkRoom(id);
        Job job = get(id);
        return hub.subscribe(id, afterSeq, job.state().isTerminal(), subscriber, (seq, limit) -> events.after(id, seq, limit));
    }

    public int queueDepth() {
        return executor.queueDepth();
    }

    /**
     * Makes sure every QUEUED or RUNNING job has its claim in the store, such as jobs stored before claims were
     * (a RUNNING one resumes from its last checkpoint once a worker takes it).
     */
    @EventListener(ApplicationReadyEvent.class)
    public void recover() {
        for (Job job : jobs.findByStateInOrderByCreatedAt(List.of(JobState.QUEUED, JobState.RUNNING))) {
            executor.schedule(job.id());
        }
    }

    /** Makes the job claimable, unless more jobs than the queue's capacity wait already, on all replicas. */
    private void enqueue(String id, JobState from) {
        if (jobs.countByState(JobState.QUEUED) > properties.queueCapacity()) {
            QueueFullException refused = new QueueFullException(id, properties.queueCapacity(), properties.retryAfter());
            if (jobs.transition(id, List.of(from.name()), JobState.FAILED.name(), refused.getMessage(), clock.instant()) == 1) {
                events.appendState(id, new StateChange(JobState.FAILED, from, get(id).step(), null, refused.getMessage(), null, null, null), true);
            }
            throw refused;
        }
        executor.schedule(id);
    }
}
