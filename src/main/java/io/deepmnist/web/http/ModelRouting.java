package io.deepmnist.web.http;

import io.deepmnist.inference.Predictor;
import io.deepmnist.inference.TrafficRouter.Routed;
import io.deepmnist.inference.TrafficRouter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The prediction routes' side of the traffic policy: the sticky header read from the request, the headers that
 * say which model and alias answered, the same in every protocol, and the answer handed on to the shadow.
 */
@Component
public class ModelRouting {

    public static final String MODEL_ID = "X-Model-Id";
    public static final String MODEL_ALIAS = "X-Model-Alias";
    /** The images' prediction ids, comma-separated, '-' for one that was not logged. */
    public static final String PREDICTION_IDS = "X-Prediction-Ids";
    /** Sent by the service's own warm-up: its predictions are not logged. */
    public static final String WARM_UP = "X-Deep-Mnist-Warm-Up";

    private final ObjectProvider<TrafficRouter> routers;

    /** The router is optional: a web slice without the inference layer routes every request where it asks. */
    ModelRouting(ObjectProvider<TrafficRouter> routers) {
        this.routers = routers;
    }

    /** @param requested a model's id or an alias from the request's path, or null for the default name */
    public Routed route(String requested, HttpServletRequest request) {
        TrafficRouter router = routers.getIfAvailable();
        if (router == null) {
            return new Routed(requested, null, null);
        }
        return router.route(requested, request::getHeader);
    }

    /**
     * Says who answered in the response's headers, hands the answer to the policy's shadow, if any, and logs its
     * images (not the service's own warm-up's), with their ids in {@code X-Prediction-Ids}.
     *
     * @return the images' prediction ids, in order (null where one was not logged); empty without a log
     */
    public List<String> answered(HttpServletRequest request, HttpServletResponse response, Predictor.Result result, Routed routed) {
        TrafficRouter router = routers.getIfAvailable();
        List<String> ids = router == null ? List.of() : router.answered(routed, result, request.getHeader(WARM_UP) == null);
        if (!ids.isEmpty()) {
            response.setHeader(PREDICTION_IDS, ids.stream().map(id -> id == null ? "-" : id).collect(Collectors.joining(",")));
        }
        response.setHeader(MODEL_ID, result.modelId());
        if (routed.alias() != null) {
            response.setHeader(MODEL_ALIAS, routed.alias());
        }
        return ids;
    }
}
