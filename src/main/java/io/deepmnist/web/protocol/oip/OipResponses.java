package io.deepmnist.web.protocol.oip;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The Open Inference Protocol's response objects, field for field as its REST specification names them. */
final class OipResponses {

    private OipResponses() {
    }

    record ModelReady(String name, boolean ready) {
    }

    record ServerMetadata(String name, String version, List<String> extensions) {
    }

    record TensorMetadata(String name, String datatype, List<Long> shape) {
    }

    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                         List<TensorMetadata> outputs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Output(String name, String datatype, List<Long> shape, Object data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferResponse(@JsonProperty("model_name") String modelName, @JsonProperty("model_version") String modelVersion,
                         String id, List<Output> outputs) {
    }
}
