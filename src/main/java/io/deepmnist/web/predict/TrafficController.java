package io.deepmnist.web.predict;

import io.deepmnist.inference.ShadowTraffic;
import io.deepmnist.inference.TrafficPolicy;
import io.deepmnist.inference.TrafficRouter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/models/traffic", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Models")
class TrafficController {

    /** This replica's shadow comparisons: copies dropped because the queue was full, and each pair's agreement. */
    record ShadowView(long dropped, List<ShadowTraffic.Agreement> pairs) {
    }

    private final TrafficRouter traffic;
    private final ShadowTraffic shadow;

    TrafficController(TrafficRouter traffic, ShadowTraffic shadow) {
        this.traffic = traffic;
        this.shadow = shadow;
    }

    @GetMapping
    @Operation(summary = "Read the traffic policy of /predict and the name mnist",
            description = "Without one set, all traffic goes to the alias 'default'.")
    TrafficPolicy get() {
        return traffic.policy().orElse(TrafficPolicy.DEFAULT);
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Share the traffic of /predict and the name mnist among aliases",
            description = "For every replica at once. {\"routes\":[{\"alias\":\"default\",\"weight\":90},{\"alias\":\"challenger\","
                    + "\"weight\":10}],\"stickyHeader\":\"X-Client-Id\"}: each request goes to a route in proportion to the "
                    + "weights, percentages that add up to 100; one that carries the sticky header goes by a hash of its value, so a client always meets the "
                    + "same route while the weights stay. Requests that name a model, a version or an alias are not routed. "
                    + "Every answer says who answered in the headers X-Model-Id and X-Model-Alias. \"shadow\": \"challenger\" "
                    + "also asks that alias each routed request, off the request's path, and records how often it agrees "
                    + "(GET /models/traffic/shadow). \"autoPromote\": {\"minLabels\": 200, \"margin\": 0.0} decides on the "
                    + "evidence: once each of the challenger and the default has minLabels labelled predictions, a one-sided "
                    + "two-proportion z-test at 95 % promotes the challenger when its accuracy beats the default's by more than "
                    + "margin, or ends the split when its error rate is above the default's by more than margin. Each decision "
                    + "is an event on GET /models/events.")
    TrafficPolicy put(@RequestBody TrafficPolicy policy) {
        return traffic.set(policy);
    }

    @GetMapping("/shadow")
    @Operation(summary = "How often the shadow gave the served digit, on this replica",
            description = "Per pair of served and shadow model since this replica started; deepmnist_shadow_images_total "
                    + "in the metrics adds the replicas up.")
    ShadowView shadow() {
        return new ShadowView(shadow.dropped(), shadow.agreements());
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Reset the traffic policy", description = "All traffic on 'default' again, on every replica.")
    void delete() {
        traffic.reset();
    }
}
