package io.deepmnist.jobs;

import io.deepmnist.store.StoreNotifications;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Brings the events that other replicas store to this replica's subscribers. Every stored event is announced
 * on {@link #CHANNEL}; since an announcement is lost while the listening connection is down, the jobs that have
 * subscribers here are also read again every {@code mnist.jobs.poll}. Subscribers drop what they already have,
 * so an event heard twice is delivered once. On the embedded H2 store there is one process and nothing to relay.
 */
@Component
class EventRelay {

    static final String CHANNEL = "job_events";

    private final JobEventLog events;
    private final EventHub hub;
    private final Map<String, Long> delivered = new ConcurrentHashMap<>();

    EventRelay(StoreNotifications notifications, JobEventLog events, EventHub hub, JobsProperties properties) {
        this.events = events;
        this.hub = hub;
        notifications.listen(CHANNEL, properties.poll(), this::catchUp, () -> catchUp(hub.subscribedJobs()));
    }

    private void catchUp(Set<String> jobIds) {
        delivered.keySet().retainAll(jobIds);
        jobIds.forEach(this::catchUp);
    }

    private void catchUp(String jobId) {
        if (!hub.hasSubscribers(jobId)) {
            return;
        }
        long after = delivered.getOrDefault(jobId, 0L);
        List<JobEvent> page;
        do {
            page = events.after(jobId, after, EventHub.PAGE);
            for (JobEvent event : page) {
                hub.publish(event);
                after = event.seq();
            }
            delivered.merge(jobId, after, Math::max);
        } while (page.size() == EventHub.PAGE);
    }
}
