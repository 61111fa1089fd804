package io.deepmnist.inference;

import java.util.Set;
import java.util.regex.Pattern;

/** An alias that cannot be set, removed or found, with what to do instead. */
public class AliasException extends RuntimeException {

    public enum Kind { INVALID, CONFLICT, NOT_FOUND }

    /** Aliases at most, {@code default} among them: each may hold a model loaded on every replica. */
    static final int MAX_ALIASES = 32;
    /** Lower-case, as in a URL path segment and a Prometheus label; no dots, so never a version number. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    /** Names of routes under /models that an alias must not shadow. */
    private static final Set<String> RESERVED = Set.of("aliases", "traffic", "events", "feedback");

    private final Kind kind;

    private AliasException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static AliasException conflict(String message) {
        return new AliasException(Kind.CONFLICT, message);
    }

    public static AliasException invalid(String message) {
        return new AliasException(Kind.INVALID, message);
    }

    public static AliasException notFound(String alias) {
        return new AliasException(Kind.NOT_FOUND, "There is no alias '" + alias + "'; GET /models/aliases lists them");
    }

    /** @throws AliasException where {@code alias} is not a name an alias may have */
    static void checkName(String alias, Set<String> modelIds) {
        if (alias == null || !NAME.matcher(alias).matches()) {
            throw invalid("'" + alias + "' is not a valid alias: use 1-32 lower-case letters, digits,"
                    + " '-' or '_', starting with a letter (such as 'challenger')");
        }
        if (RESERVED.contains(alias)) {
            throw conflict("'" + alias + "' names a route under /models and cannot be an alias; choose another name");
        }
        if (modelIds.contains(alias)) {
            throw conflict("'" + alias + "' is a model's id and cannot be an alias; choose another name");
        }
    }
}
