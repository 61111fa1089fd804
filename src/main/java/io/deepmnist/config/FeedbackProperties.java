package io.deepmnist.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mnist.feedback.*}: the prediction log that corrected labels refer to.
 *
 * @param enabled    false: no log, no prediction ids, no feedback (404)
 * @param maxEntries the log keeps the newest this many images at most, fleet-wide
 * @param maxAge     and none older than this
 * @param queue      answered images waiting to be written at most; more are not logged (and counted), so a slow
 *                   store never slows predictions down
 * @param retentionEvery how often a replica removes what retention no longer keeps
 * @param metricsEvery how often a replica reads each model's labelled predictions for its gauges
 */
@ConfigurationProperties("mnist.feedback")
public record FeedbackProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100000") int maxEntries,
        @DefaultValue("7d") Duration maxAge,
        @DefaultValue("10000") int queue,
        @DefaultValue("10s") Duration retentionEvery,
        @DefaultValue("15s") Duration metricsEvery) {
}
