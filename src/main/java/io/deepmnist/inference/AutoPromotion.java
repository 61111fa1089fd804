package io.deepmnist.inference;

import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The traffic policy's {@code autoPromote} rule, applied to the labelled predictions each time they are counted
 * ({@code mnist.feedback.metrics-every}). Only predictions answered since the policy was set count, so that the two
 * models are compared on the same traffic. Once the challenger and the default have each {@code minLabels} labels, a
 * one-sided two-proportion z-test at 95 % (pooled standard error) decides: the challenger is promoted when its
 * accuracy beats the default's by more than {@code margin}, and the split ends (all traffic on the default again)
 * when its error rate is above the default's by more than {@code margin}. Either way the policy is reset, and the
 * decision is a {@link ModelEvent} with its numbers. Every replica evaluates; the one that removes the very policy it
 * evaluated from the store acts, so a decision is taken once.
 */
@Component
class AutoPromotion {

    static final double Z_95_ONE_SIDED = 1.6448536269514722;
    private static final Logger log = LoggerFactory.getLogger(AutoPromotion.class);

    private final TrafficRouter router;
    private final ModelRegistry registry;
    private final PredictionLog predictions;
    private final ApplicationEventPublisher events;

    AutoPromotion(TrafficRouter router, ModelRegistry registry, PredictionLog predictions, ApplicationEventPublisher events) {
        this.router = router;
        this.registry = registry;
        this.predictions = predictions;
        this.events = events;
    }

    /** One side of a comparison: a model and its labelled predictions. */
    record Side(String alias, String modelId, long labelled, long correct, Double accuracy) {

        static Side of(String alias, String modelId, Map<String, FeedbackAccuracy> counts) {
            FeedbackAccuracy a = counts.getOrDefault(modelId, FeedbackAccuracy.of(modelId, 0, 0));
            return new Side(alias, modelId, a.labelled(), a.correct(), a.accuracy());
        }
    }

    /**
     * @param decision {@code promote} or {@code rollback}
     * @param z        the test statistic of the challenger's accuracy (promote) or error rate (rollback) against the default's
     */
    record Decision(String decision, Side challenger, Side defaultModel, double z, double critical, double margin, int minLabels) {
    }

    synchronized void evaluate() {
        TrafficPolicy policy = router.policy().orElse(null);
        String defaultId = registry.defaultModelId().orElse(null);
        if (policy == null || policy.autoPromote() == null || defaultId == null) {
            return;
        }
        Map<String, FeedbackAccuracy> counts = predictions.accuracies(router.since()).stream()
                .collect(Collectors.toMap(FeedbackAccuracy::modelId, a -> a));
        TrafficPolicy.AutoPromote rule = policy.autoPromote();
        Side incumbent = Side.of(RegistryStore.DEFAULT, defaultId, counts);
        for (String alias : policy.challengers()) {
            String challengerId = registry.aliases().get(alias);
            if (challengerId == null || challengerId.equals(defaultId)) {
                continue;
            }
            Decision decision = decide(Side.of(alias, challengerId, counts), incumbent, rule);
            if (decision != null && router.endIf(policy)) {
                log.info("Traffic policy decision: {} {} ({}: {} of {} right) against the default {} ({} of {}), z = {}",
                        decision.decision(), alias, challengerId, decision.challenger().correct(), decision.challenger().labelled(),
                        defaultId, incumbent.correct(), incumbent.labelled(), decision.z());
                events.publishEvent(new ModelEvent(ModelEvent.DECISION, decision));
                events.publishEvent(new ModelEvent(ModelEvent.TRAFFIC, new ModelEvent.PolicyChanged(null)));
                if (decision.decision().equals("promote")) {
                    registry.promote(challengerId);
                }
                return;
            }
        }
    }

    static Decision decide(Side challenger, Side incumbent, TrafficPolicy.AutoPromote rule) {
        int needed = rule.labelsNeeded();
        if (challenger.labelled() < needed || incumbent.labelled() < needed) {
            return null;
        }
        double margin = rule.marginOrZero();
        double better = z(challenger, incumbent, margin);
        if (better > Z_95_ONE_SIDED) {
            return new Decision("promote", challenger, incumbent, better, Z_95_ONE_SIDED, margin, needed);
        }
        double worse = z(incumbent, challenger, margin);
        if (worse > Z_95_ONE_SIDED) {
            return new Decision("rollback", challenger, incumbent, worse, Z_95_ONE_SIDED, margin, needed);
        }
        return null;
    }

    /** How far {@code a}'s accuracy is above {@code b}'s plus {@code margin}, in pooled standard errors. */
    static double z(Side a, Side b, double margin) {
        double pa = (double) a.correct() / a.labelled();
        double pb = (double) b.correct() / b.labelled();
        double pooled = (double) (a.correct() + b.correct()) / (a.labelled() + b.labelled());
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / a.labelled() + 1.0 / b.labelled()));
        double difference = pa - pb - margin;
        if (se == 0) {
            return difference > 0 ? Double.POSITIVE_INFINITY : difference < 0 ? Double.NEGATIVE_INFINITY : 0;
        }
        return difference / se;
    }
}
