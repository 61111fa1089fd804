package io.deepmnist.jobs;

import io.deepmnist.dataset.DataSplit;
import java.time.Instant;

/**
 * The images users labelled, for jobs that learn from them: the seam to the prediction log, which jobs do not know.
 */
public interface FeedbackExamples {

    /** How many predictions were labelled up to {@code until}; 0 where there are none or nobody keeps them. */
    int count(Instant until);

    /** The newest labelled predictions up to {@code until}, as a split; a bounded number of them. */
    DataSplit load(Instant until);
}
