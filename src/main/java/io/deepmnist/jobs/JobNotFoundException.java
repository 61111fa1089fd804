package io.deepmnist.jobs;

/** No job has this id. */
public class JobNotFoundException extends RuntimeException {

    public JobNotFoundException(String id) {
        super("There is no job '" + id + "'; GET /jobs lists the jobs there are.");
    }
}
