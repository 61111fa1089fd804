package io.deepmnist.jobs;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;
import org.springframework.data.repository.query.Param;

/**
 * Jobs are inserted once and then changed by targeted updates, never by saving a whole record back, so the
 * training thread's progress and a request's state change cannot overwrite each other.
 */
interface JobRepository extends ListCrudRepository<Job, String>, PagingAndSortingRepository<Job, String> {

    Page<Job> findByState(JobState state, Pageable pageable);

    long countByState(JobState state);

    List<Job> findByStateInOrderByCreatedAt(Collection<JobState> states);

    /** Moves the job to {@code to} only if it is in one of {@code from}; 1 when it did. */
    @Modifying
    @Query("UPDATE job SET state = :to, error = :error, finished_at = :finishedAt WHERE id = :id AND state IN (:from)")
    int transition(@Param("id") String id, @Param("from") Collection<String> from, @Param("to") String to,
                   @Param("error") String error, @Param("finishedAt") Instant finishedAt);

    /**
     * Claims a QUEUED job for {@code device} of {@code node}, to train in {@code precision}; 1 when it did. A stale
     * cancel request is cleared.
     */
    @Modifying
    @Query("UPDATE job SET state = 'RUNNING', device = :device, node = :node, training_precision = :precision, "
            + "started_at = COALESCE(started_at, :now), error = NULL, finished_at = NULL, cancel_requested = FALSE "
            + "WHERE id = :id AND state = 'QUEUED'")
    int start(@Param("id") String id, @Param("device") String device, @Param("node") String node,
              @Param("precision") String precision, @Param("now") Instant now);

    /** Asks the worker that runs the job, on whichever replica, to stop it at its next step boundary. */
    @Modifying
    @Query("UPDATE job SET cancel_requested = TRUE WHERE id = :id AND state IN ('QUEUED', 'RUNNING')")
    int requestCancel(@Param("id") String id);

    @Query("SELECT id FROM job WHERE cancel_requested AND state = 'RUNNING' AND id IN (:ids)")
    List<String> cancelRequested(@Param("ids") Collection<String> ids);

    @Modifying
    @Query("UPDATE job SET step = :step, training_accuracy = :accuracy, loss = :loss, examples_per_second = :rate WHERE id = :id")
    void progress(@Param("id") String id, @Param("step") int step, @Param("accuracy") float accuracy,
                  @Param("loss") float loss, @Param("rate") double examplesPerSecond);

    @Modifying
    @Query("UPDATE job SET step = :step WHERE id = :id")
    void step(@Param("id") String id, @Param("step") int step);

    @Modifying
    @Query("UPDATE job SET stored_step = :step WHERE id = :id AND (stored_step IS NULL OR stored_step < :step)")
    void storedStep(@Param("id") String id, @Param("step") int step);

    @Modifying
    @Query("UPDATE job SET validation_accuracy = :accuracy WHERE id = :id")
    void validationAccuracy(@Param("id") String id, @Param("accuracy") double accuracy);

    @Modifying
    @Query("UPDATE job SET state = 'SUCCEEDED', step = :step, validation_accuracy = :validation, test_accuracy = :test, "
            + "model_id = :modelId, finished_at = :now WHERE id = :id AND state = 'RUNNING'")
    int succeed(@Param("id") String id, @Param("step") int step, @Param("validation") double validation,
                @Param("test") double test, @Param("modelId") String modelId, @Param("now") Instant now);
}
