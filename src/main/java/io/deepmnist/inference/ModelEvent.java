package io.deepmnist.inference;

/**
 * A change to what serves predictions, made on this replica: an alias moved or removed, the traffic policy set or
 * reset, or a decision of {@link AutoPromotion}. Published as a Spring application event; whoever keeps the history
 * listens for it.
 *
 * @param type {@link #ALIAS}, {@link #TRAFFIC} or {@link #DECISION}
 * @param data the event's fields, as they are shown
 */
public record ModelEvent(String type, Object data) {

    public static final String ALIAS = "alias";
    public static final String TRAFFIC = "traffic";
    public static final String DECISION = "decision";

    /** An alias now names {@code modelId} (null: it was removed); it named {@code previousModelId} before. */
    public record AliasMoved(String alias, String modelId, String previousModelId) {
    }

    /** The policy now in force; null for all traffic on the default. */
    public record PolicyChanged(TrafficPolicy policy) {
    }
}
