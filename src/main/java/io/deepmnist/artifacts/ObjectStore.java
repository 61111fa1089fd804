package io.deepmnist.artifacts;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Objects by key below one location. Every method throws {@link ArtifactStoreException} when the store fails. */
interface ObjectStore extends AutoCloseable {

    void put(String key, Path file);

    void put(String key, byte[] bytes);

    /** Writes the object to {@code target}, replacing it; false when there is no such object. */
    boolean get(String key, Path target);

    Optional<byte[]> get(String key);

    /** Every object whose key starts with {@code prefix}. */
    List<StoredObject> list(String prefix);

    void delete(Collection<String> keys);

    /** Throws with a reason a person can act on unless the store can be read and written. */
    void check();

    String describe();

    @Override
    void close();
}
