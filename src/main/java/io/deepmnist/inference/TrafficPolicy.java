package io.deepmnist.inference;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * How the name {@code mnist} and {@code /predict} share their requests among aliases: weighted routes and,
 * optionally, a header whose value pins each client to one route. The field names are the API's.
 *
 * @param routes       aliases and their weights, whole percentages that add up to 100
 * @param stickyHeader a request header such as {@code X-Client-Id}; requests that carry it are routed by a hash of
 *                     its value, so one client always meets the same alias while the weights stay the same; null: none
 * @param shadow       an alias that gets a copy of each routed request off the request's path ({@link ShadowTraffic});
 *                     null: none
 * @param autoPromote  a rule that promotes the challenger, or ends the split, once the labelled predictions show
 *                     it better or worse than the default ({@link AutoPromotion}); null: none
 */
public record TrafficPolicy(List<Route> routes, String stickyHeader, String shadow, AutoPromote autoPromote) {

    public static final int MAX_ROUTES = 8;
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");

    public record Route(String alias, int weight) {
    }

    /**
     * @param minLabels labelled predictions that each of the two models needs before a decision (default 200)
     * @param margin    how much better (or worse) than the default the challenger's accuracy must be shown to be, as
     *                  a difference of proportions in [0, 0.5) (default 0)
     */
    public record AutoPromote(Integer minLabels, Double margin) {

        public int labelsNeeded() {
            return minLabels == null ? 200 : minLabels;
        }

        public double marginOrZero() {
            return margin == null ? 0 : margin;
        }
    }

    /** All traffic on {@code default}, as without a policy. */
    public static final TrafficPolicy DEFAULT = new TrafficPolicy(List.of(new Route(RegistryStore.DEFAULT, 100)), null, null, null);

    /**
     * @param aliases the aliases there are now
     * @throws AliasException (INVALID or NOT_FOUND) with what to fix
     */
    void check(Set<String> aliases) {
        if (routes == null || routes.isEmpty() || routes.size() > MAX_ROUTES) {
            throw AliasException.invalid("Send 1 to " + MAX_ROUTES + " routes: {\"routes\":[{\"alias\":\"default\",\"weight\":90},"
                    + "{\"alias\":\"challenger\",\"weight\":10}]}");
        }
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (Route route : routes) {
            if (route == null || route.alias() == null) {
                throw AliasException.invalid("Each route needs an alias and a weight");
            }
            if (route.weight() < 0 || route.weight() > 100) {
                throw AliasException.invalid("Route " + route.alias() + ": a weight is a whole percentage from 0 to 100");
            }
            if (!seen.add(route.alias())) {
                throw AliasException.invalid("Route " + route.alias() + " is given twice; give each alias one route");
            }
            known(route.alias(), aliases);
            total += route.weight();
        }
        if (total != 100) {
            throw AliasException.invalid("The weights add up to " + total + "; they are percentages of the traffic and must add "
                    + "up to 100, such as 90 and 10");
        }
        if (stickyHeader != null && !HEADER.matcher(stickyHeader).matches()) {
            throw AliasException.invalid("stickyHeader '" + stickyHeader + "' is not a header name (such as X-Client-Id)");
        }
        if (shadow != null) {
            known(shadow, aliases);
        }
        if (autoPromote != null) {
            if (autoPromote.labelsNeeded() < 1 || autoPromote.labelsNeeded() > 1_000_000) {
                throw AliasException.invalid("autoPromote.minLabels is the labelled predictions each model needs before a "
                        + "decision: a whole number from 1 to 1000000");
            }
            if (!(autoPromote.marginOrZero() >= 0 && autoPromote.marginOrZero() < 0.5)) {
                throw AliasException.invalid("autoPromote.margin is a difference of accuracies: a number from 0 up to 0.5");
            }
            if (challengers().isEmpty()) {
                throw AliasException.invalid("autoPromote compares a challenger with the default: give the policy a route to "
                        + "an alias other than 'default'");
            }
        }
    }

    /** The routed aliases other than {@code default}, in the order of the routes. */
    public List<String> challengers() {
        return routes.stream().map(Route::alias).filter(a -> !a.equals(RegistryStore.DEFAULT)).toList();
    }

    private static void known(String alias, Set<String> aliases) {
        if (!aliases.contains(alias)) {
            throw AliasException.notFound(alias);
        }
    }

    /** Whether {@code alias} takes part: routed to or shadowed. */
    public boolean uses(String alias) {
        return alias.equals(shadow) || routes.stream().anyMatch(r -> r.alias().equals(alias));
    }

    /**
     * The alias for one request: by the hash of {@code stickyValue} where there is one, else at random, in
     * proportion to the weights.
     */
    public String choose(String stickyValue) {
        long total = routes.stream().mapToLong(Route::weight).sum();
        long point = stickyValue == null ? ThreadLocalRandom.current().nextLong(total) : Long.remainderUnsigned(hash(stickyValue), total);
        for (Route route : routes) {
            point -= route.weight();
            if (point < 0) {
                return route.alias();
            }
        }
        return routes.get(routes.size() - 1).alias();
    }

    /** FNV-1a over the UTF-8 bytes, then a 64-bit finalizer so that similar ids spread over the whole range. */
    static long hash(String value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
