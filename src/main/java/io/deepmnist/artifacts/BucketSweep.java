package io.deepmnist.artifacts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a crash or a deletion left in the bucket: objects of a checkpoint or model that never got its manifest, of
 * a job the job store no longer has, or of a model the registry does not hold. Only objects older than the grace
 * period go, since younger ones may be an upload that another replica is still making.
 */
final class BucketSweep {

    private static final Logger log = LoggerFactory.getLogger(BucketSweep.class);

    private final ObjectStore store;
    private final Duration grace;

    BucketSweep(ObjectStore store, Duration grace) {
        this.store = store;
        this.grace = grace;
    }

    void sweep(Predicate<String> jobExists, Predicate<String> modelExists) {
        Instant before = Instant.now().minus(grace);
        List<String> doomed = new ArrayList<>();
        for (Map.Entry<String, List<StoredObject>> job : byOwner(Keys.JOBS).entrySet()) {
            if (!jobExists.test(job.getKey())) {
                doomed.addAll(old(job.getValue(), before));
                continue;
            }
            String prefix = Keys.checkpoints(job.getKey());
            Map<Long, List<StoredObject>> steps = job.getValue().stream().filter(o -> o.key().startsWith(prefix))
                    .collect(Collectors.groupingBy(o -> Keys.step(o.key().substring(prefix.length())).orElse(-1), TreeMap::new,
                            Collectors.toList()));
            steps.forEach((step, objects) -> {
                if (objects.stream().noneMatch(o -> o.key().endsWith(Keys.MANIFEST_SUFFIX))) {
                    doomed.addAll(old(objects, before));
                }
            });
        }
        for (Map.Entry<String, List<StoredObject>> model : byOwner(Keys.MODELS).entrySet()) {
            boolean complete = model.getValue().stream().anyMatch(o -> o.key().equals(Keys.modelManifest(model.getKey())));
            if (!complete || !modelExists.test(model.getKey())) {
                doomed.addAll(old(model.getValue(), before));
            }
        }
        // Manifests first: an artifact half deleted must not look complete.
        doomed.sort(Comparator.comparing((String k) -> !k.endsWith(Keys.MANIFEST_SUFFIX)));
        store.delete(doomed);
        if (!doomed.isEmpty()) {
            log.info("Swept {} objects from the artifact store that no job, model or finished upload owns", doomed.size());
        }
    }

    private Map<String, List<StoredObject>> byOwner(String root) {
        return store.list(root).stream().collect(Collectors.groupingBy(o -> Keys.owner(o.key(), root), TreeMap::new, Collectors.toList()));
    }

    /** The group's keys if every object in it is older than {@code before}: a group still being written stays whole. */
    private static List<String> old(List<StoredObject> group, Instant before) {
        boolean allOld = group.stream().allMatch(o -> o.lastModified().isBefore(before));
        return allOld ? group.stream().map(StoredObject::key).toList() : List.of();
    }
}
