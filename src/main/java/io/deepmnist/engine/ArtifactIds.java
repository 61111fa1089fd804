package io.deepmnist.engine;

import java.util.regex.Pattern;

/** Job and model ids name directories under the home, so only ids that cannot leave it are accepted. */
public final class ArtifactIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private ArtifactIds() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** {@code id}, or an {@link IllegalArgumentException} when it could name a path outside its directory. */
    public static String checked(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("not a valid id: " + id);
        }
        return id;
    }
}
