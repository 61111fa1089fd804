package io.deepmnist.ops;

import io.deepmnist.inference.ModelEvent;
import io.deepmnist.jobs.EventStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Keeps every {@link ModelEvent} of this replica in the models' event stream, which all replicas share. */
@Component
class ModelEventHistory {

    private static final Logger log = LoggerFactory.getLogger(ModelEventHistory.class);

    private final EventStreams streams;

    ModelEventHistory(EventStreams streams) {
        this.streams = streams;
    }

    @EventListener
    void record(ModelEvent event) {
        try {
            streams.append(EventStreams.MODELS, event.type(), event.data());
        } catch (RuntimeException e) {
            // The change itself is made; only its entry in the history is missing.
            log.warn("The {} event could not be stored: {}", event.type(), e.getMessage());
        }
    }
}
