package io.deepmnist.ops;

import io.deepmnist.artifacts.ArtifactStore;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.jobs.JobService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once per start, beside serving: removes from the artifact store what no job or registered model owns, and what
 * uploads cut off by a crash left without a manifest. Only here are both the job store and the registry in sight.
 */
@Component
class ArtifactSweep {

    private static final Logger log = LoggerFactory.getLogger(ArtifactSweep.class);

    private final ArtifactStore artifacts;
    private final JobService jobs;
    private final ModelRegistry registry;

    ArtifactSweep(ArtifactStore artifacts, JobService jobs, ModelRegistry registry) {
        this.artifacts = artifacts;
        this.jobs = jobs;
        this.registry = registry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void sweepSoon() {
        Thread sweeper = new Thread(this::sweep, "artifact-sweep");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    void sweep() {
        try {
            artifacts.sweep(jobs::exists, registry::isRegistered);
        } catch (RuntimeException e) {
            log.warn("The artifact store was not swept at start-up: {}", e.getMessage());
        }
    }
}
