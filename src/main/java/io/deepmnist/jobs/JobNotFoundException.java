package io.deepmnist.jobs;

/** No job has this id. */
public class JobNotFoundException extends RuntimeException {

    private final String id;

    public JobNotFoundException(String id) {
        super("There is no job '" + id + "'");
        this.id = id;
    }

    public String id() {
        return id;
    }
}
