package io.deepmnist.engine;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Enums that are named in the API and on the command line by a lower-case id rather than their constant name. */
final class NamedKinds {

    private NamedKinds() {
    }

    /** The constant whose id is {@code id}, ignoring case; else an error that lists the ids there are. */
    static <E extends Enum<E>> E fromId(Class<E> type, Function<E, String> idOf, String what, String id) {
        E[] values = type.getEnumConstants();
        for (E value : values) {
            if (idOf.apply(value).equalsIgnoreCase(id)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + id + "'; expected one of "
                + Arrays.stream(values).map(idOf).collect(Collectors.joining(", ")));
    }
}
