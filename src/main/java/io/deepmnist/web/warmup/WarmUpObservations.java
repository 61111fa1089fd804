package io.deepmnist.web.warmup;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Leaves the warm-up's refused requests ({@link ConnectionWarmUp#PATH}) out of {@code http.server.requests}: they
 * are no client's error, and 6,000 400s at every start would drown the series an error-rate alert watches. The
 * warm-up's predictions do count, as the service's own load.
 */
@Component
class WarmUpObservations implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        return !(context instanceof ServerRequestObservationContext request
                && ConnectionWarmUp.PATH.equals(request.getCarrier().getRequestURI()));
    }
}
