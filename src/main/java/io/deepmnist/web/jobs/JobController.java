package io.deepmnist.web.jobs;

import io.deepmnist.jobs.CheckpointSummary;
import io.deepmnist.jobs.Job;
import io.deepmnist.jobs.JobService;
import io.deepmnist.jobs.JobState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Jobs", description = "Train the tutorial's models as asynchronous jobs")
class JobController {

    private final JobService jobs;
    private final JobPlanner planner;

    JobController(JobService jobs, JobPlanner planner) {
        this.jobs = jobs;
        this.planner = planner;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Start a training job",
            description = "Stores the job, queues it, and answers at once with 202 and its Location. Follow it at /jobs/{id}/events.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
                    @ExampleObject(name = "softmax, tutorial defaults", value = "{\"model\":\"softmax\"}"),
                    @ExampleObject(name = "short CNN", value = "{\"model\":\"cnn\",\"steps\":2000,\"checkpointEvery\":500,\"seed\":42}"),
                    @ExampleObject(name = "CNN in bfloat16", value = "{\"model\":\"cnn\",\"steps\":2000,\"precision\":\"bf16\"}"),
                    @ExampleObject(name = "fine-tune the default on corrected labels", value = "{\"model\":\"cnn\",\"from\":"
                            + "\"default\",\"data\":{\"feedback\":true,\"ratio\":0.2},\"alias\":\"challenger\"}")})))
    @ApiResponse(responseCode = "202", description = "Queued; Location is the job's URL")
    ResponseEntity<JobView> submit(@Valid @RequestBody JobRequest request) {
        JobPlanner.Plan plan = planner.plan(request);
        Job job = jobs.submit(plan.hyperparameters(), request.toPrecision(), Boolean.TRUE.equals(request.promote()), plan.plan());
        return ResponseEntity.accepted().location(URI.create("/jobs/" + job.id())).body(view(job));
    }

    @GetMapping
    @Operation(summary = "List jobs, newest first",
            description = "One page of jobs of every replica, newest first, optionally only those in one state. Each job "
                    + "as GET /jobs/{id} shows it, without its checkpoints.")
    JobPage list(@Parameter(description = "Only jobs in this state") @RequestParam(required = false) JobState state,
                 @RequestParam(defaultValue = "0") @Min(0) int page,
                 @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        Page<Job> found = jobs.list(state, page, size);
        return new JobPage(found.getContent().stream().map(j -> JobView.of(j, null)).toList(),
                found.getNumber(), found.getSize(), found.getTotalElements(), found.getTotalPages());
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a job: state, progress, accuracies, checkpoints, model",
            description = "The job as it stands: its state, the step it reached, the last training accuracy and loss, "
                    + "validation and test accuracy once measured, the replica and device that run it, its checkpoints, "
                    + "and the id of the model it exported once it succeeded.")
    JobView get(@PathVariable String id) {
        return view(jobs.get(id));
    }

    @PostMapping("/{id}/cancel")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Cancel a job", description = "Answers at once with the job as it stands (a running job still "
            + "RUNNING): it stops at its next step boundary, on whichever replica runs it, writes a checkpoint and ends "
            + "CANCELLED. A queued job is CANCELLED at once.")
    JobView cancel(@PathVariable String id) {
        return view(jobs.cancel(id));
    }

    @PostMapping("/{id}/resume")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Resume a CANCELLED or FAILED job from its last checkpoint", description = "Same id; the step count continues.")
    JobView resume(@PathVariable String id) {
        return view(jobs.resume(id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a finished job and its checkpoints", description = "Only SUCCEEDED, FAILED and CANCELLED jobs; its model stays.")
    void delete(@PathVariable String id) {
        jobs.delete(id);
    }

    @GetMapping("/{id}/checkpoints")
    @Operation(summary = "The job's checkpoints, oldest first",
            description = "The checkpoints kept on disk (the newest mnist.jobs.keep-checkpoints): the step each was "
                    + "written at, when, and its size. A resumed job continues from the newest.")
    List<CheckpointSummary> checkpoints(@PathVariable String id) {
        return jobs.checkpoints(id);
    }

    private JobView view(Job job) {
        return JobView.of(job, jobs.checkpoints(job.id()));
    }
}
