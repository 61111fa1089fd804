package io.deepmnist.inference;

import io.deepmnist.config.InferenceProperties;
import io.deepmnist.store.StoreNotifications;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The traffic policy of the name {@code mnist} and {@code /predict}, the same on every replica: it lives in the
 * store ({@code traffic_policy}), a change is announced to the other replicas, and each also reads it again every
 * {@code mnist.inference.registry-refresh} in case an announcement was lost. Without a policy every request goes to
 * the default model, as it always did.
 */
@Component
public class TrafficRouter {

    static final String CHANNEL = "traffic_policy";
    private static final String NAME = "mnist";
    private static final Logger log = LoggerFactory.getLogger(TrafficRouter.class);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final StoreNotifications notifications;
    private final ModelRegistry registry;
    private final ShadowTraffic shadow;
    private final PredictionLog predictions;
    private final ApplicationEventPublisher events;
    private volatile TrafficPolicy policy;
    /** When the policy in force was set. */
    private volatile Instant since = Instant.EPOCH;

    TrafficRouter(JdbcClient jdbc, JsonMapper json, StoreNotifications notifications, ModelRegistry registry,
                  ShadowTraffic shadow, PredictionLog predictions, InferenceProperties properties, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.json = json;
        this.notifications = notifications;
        this.registry = registry;
        this.shadow = shadow;
        this.predictions = predictions;
        this.events = events;
        read();
        notifications.listen(CHANNEL, properties.registryRefresh(), changed -> reload(), this::reload);
    }

    /** The policy set, if any. */
    public Optional<TrafficPolicy> policy() {
        return Optional.ofNullable(policy);
    }

    /** When the policy in force was set, on whichever replica. */
    public Instant since() {
        return since;
    }

    /**
     * Sets the policy for every replica.
     *
     * @throws AliasException where it names an alias there is not, or is not a valid policy
     */
    public synchronized TrafficPolicy set(TrafficPolicy wanted) {
        wanted.check(registry.aliases().keySet());
        String text = json.writeValueAsString(wanted);
        Instant now = Instant.now();
        if (jdbc.sql("UPDATE traffic_policy SET policy = ?, updated_at = ? WHERE name = ?")
                .params(text, now.atOffset(ZoneOffset.UTC), NAME).update() == 0) {
            jdbc.sql("INSERT INTO traffic_policy (name, policy, updated_at) VALUES (?, ?, ?)")
                    .params(NAME, text, now.atOffset(ZoneOffset.UTC)).update();
        }
        notifications.announce(CHANNEL, NAME);
        policy = wanted;
        since = now;
        log.info("Traffic policy set: {}", text);
        events.publishEvent(new ModelEvent(ModelEvent.TRAFFIC, new ModelEvent.PolicyChanged(wanted)));
        return wanted;
    }

    /** Back to all traffic on {@code default}, for every replica. */
    public synchronized void reset() {
        jdbc.sql("DELETE FROM traffic_policy WHERE name = ?").param(NAME).update();
        notifications.announce(CHANNEL, NAME);
        policy = null;
        log.info("Traffic policy reset: all traffic on the default model");
        events.publishEvent(new ModelEvent(ModelEvent.TRAFFIC, new ModelEvent.PolicyChanged(null)));
    }

    /**
     * Resets the policy, for every replica, if the store still holds {@code expected}: of several replicas that
     * reach the same decision on one policy, one acts.
     *
     * @return whether this call removed it
     */
    synchronized boolean endIf(TrafficPolicy expected) {
        if (jdbc.sql("DELETE FROM traffic_policy WHERE name = ? AND policy = ?").params(NAME, json.writeValueAsString(expected))
                .update() == 0) {
            return false;
        }
        notifications.announce(CHANNEL, NAME);
        policy = null;
        return true;
    }

    /**
     * Removes an alias unless the policy routes to it or shadows it.
     *
     * @throws AliasException where the policy uses it, or it is {@code default}, or there is none
     */
    public synchronized void removeAlias(String alias) {
        TrafficPolicy current = policy;
        if (current != null && current.uses(alias)) {
            throw AliasException.conflict("The traffic policy uses the alias '" + alias + "'; change it first (PUT or DELETE "
                    + "/models/traffic)");
        }
        registry.removeAlias(alias);
    }

    /**
     * Where a request goes.
     *
     * @param model what to ask the {@link Predictor} for: a model's id or an alias, or null for the default model
     * @param alias the alias that answers, for the {@code X-Model-Alias} header; null where the request named a model
     *              by its id
     * @param shadow the alias that gets a copy of the answered request, or null
     */
    public record Routed(String model, String alias, String shadow) {
    }

    /**
     * Routes a request for {@code requested} (a model's id or an alias, or null for the default name, which the
     * policy shares among its routes).
     *
     * @param headers the request's header by name (null where absent), for the policy's sticky header
     */
    public Routed route(String requested, Function<String, String> headers) {
        if (requested != null) {
            return new Routed(requested, registry.isRegistered(requested) || !registry.aliases().containsKey(requested) ? null : requested,
                    null);
        }
        TrafficPolicy current = policy;
        String alias = current == null ? null : current.choose(current.stickyHeader() == null ? null : headers.apply(current.stickyHeader()));
        String shadow = current == null ? null : current.shadow();
        if (alias == null || alias.equals(RegistryStore.DEFAULT) || !registry.aliases().containsKey(alias)) {
            return new Routed(null, RegistryStore.DEFAULT, shadow);
        }
        return new Routed(alias, alias, shadow);
    }

    /**
     * After a request was answered: its copy for the shadow, if the policy has one, and its images in the
     * prediction log; {@code logged} false (the service's own warm-up) only rehearses the log.
     *
     * @return the images' prediction ids, in order (null where one was not logged); empty when the log is off
     */
    public List<String> answered(Routed routed, Predictor.Result result, boolean logged) {
        if (routed.shadow() != null) {
            shadow.copy(routed.shadow(), result);
        }
        return predictions.record(result, !logged);
    }

    private void reload() {
        try {
            read();
        } catch (RuntimeException e) {
            log.debug("Cannot read the traffic policy: {}", e.getMessage());
        }
    }

    private void read() {
        record Stored(TrafficPolicy policy, Instant since) {
        }
        Stored stored = jdbc.sql("SELECT policy, updated_at FROM traffic_policy WHERE name = ?").param(NAME)
                .query((row, n) -> new Stored(json.readValue(row.getString(1), TrafficPolicy.class),
                        row.getObject(2, OffsetDateTime.class).toInstant()))
                .optional().orElse(new Stored(null, Instant.EPOCH));
        since = stored.since();
        policy = stored.policy();
    }
}
