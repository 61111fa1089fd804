package io.deepmnist.web.protocol.oip.grpc;

import io.deepmnist.inference.ModelNotFoundException;
import io.deepmnist.inference.ModelUnavailableException;
import io.deepmnist.inference.NoDefaultModelException;
import io.deepmnist.inference.PredictionRejectedException;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC status of each refusal, as the REST side's advice gives an HTTP status: a client's mistake is never
 * UNKNOWN or INTERNAL, and every description says what to do.
 */
final class GrpcStatuses {

    private static final Logger log = LoggerFactory.getLogger(GrpcStatuses.class);

    private GrpcStatuses() {
    }

    static Status of(RuntimeException e) {
        if (e instanceof ModelNotFoundException) {
            return Status.NOT_FOUND.withDescription(e.getMessage());
        }
        if (e instanceof NoDefaultModelException) {
            return Status.UNAVAILABLE.withDescription(e.getMessage());
        }
        if (e instanceof ModelUnavailableException) {
            log.error("{}", e.getMessage(), e.getCause());
            return Status.UNAVAILABLE.withDescription(e.getMessage());
        }
        if (e instanceof PredictionRejectedException rejected) {
            return switch (rejected.reason()) {
                case OVERLOADED -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage() + "; try again in a moment");
                case TOO_LARGE -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
                default -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            };
        }
        log.error("A gRPC call failed: {}", e.getMessage(), e);
        return Status.INTERNAL.withDescription("the service failed: " + e.getMessage());
    }
}
