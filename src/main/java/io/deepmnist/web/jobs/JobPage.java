package io.deepmnist.web.jobs;

import java.util.List;

/** One page of jobs, newest first. */
record JobPage(List<JobView> content, int page, int size, long totalElements, int totalPages) {
}
