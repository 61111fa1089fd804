package io.deepmnist.inference;

import java.util.List;

/** A model cannot be deleted while an alias names it: the default, or another such as {@code challenger}. */
public class ModelInUseException extends RuntimeException {

    public ModelInUseException(String id, List<String> aliases) {
        super(message(id, aliases));
    }

    private static String message(String id, List<String> aliases) {
        if (aliases.isEmpty() || aliases.equals(List.of(RegistryStore.DEFAULT))) {
            return "Model " + id + " is the default model for predictions; promote another one first (POST /models/{id}/promote)";
        }
        return "Model " + id + " is named by the aliases " + aliases + "; point them at another model (PUT /models/aliases/{alias})"
                + " or delete them first (DELETE /models/aliases/{alias}; the default moves only by a promotion)";
    }
}
