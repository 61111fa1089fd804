package io.deepmnist.jobs;

import org.springframework.stereotype.Component;

/**
 * Event streams that are not a job's, such as the models' (aliases, the traffic policy, its decisions): stored,
 * numbered, relayed to the other replicas and fanned out exactly as a job's events are, so a subscriber replays them
 * with Last-Event-ID. Such a stream never ends, and keeps its newest {@value #KEEP} events. Its subscribers count against
 * {@code mnist.jobs.max-subscribers-per-job}.
 */
@Component
public class EventStreams {

    /** The models' stream: {@code GET /models/events}. Job ids are UUIDs, so it is no job's. */
    public static final String MODELS = "models";
    static final int KEEP = 10_000;
    private static final int TRIM_EVERY = 100;

    private final JobEventLog log;
    private final EventHub hub;

    EventStreams(JobEventLog log, EventHub hub) {
        this.log = log;
        this.hub = hub;
    }

    public JobEvent append(String stream, String type, Object payload) {
        JobEvent event = log.append(stream, type, payload);
        if (event.seq() % TRIM_EVERY == 0 && event.seq() > KEEP) {
            log.deleteUpTo(stream, event.seq() - KEEP);
        }
        return event;
    }

    /** Streams the stored events after {@code afterSeq}, then live ones; see {@link EventHub#subscribe}. */
    public Runnable subscribe(String stream, long afterSeq, EventSubscriber subscriber) {
        hub.checkRoom(stream);
        return hub.subscribe(stream, afterSeq, false, subscriber, (seq, limit) -> log.after(stream, seq, limit));
    }
}
