package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The JSON schemas of a standard protocol (under resources/protocols), each definition checkable on its own. */
final class ProtocolSchemas {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static final ProtocolSchemas OPEN_INFERENCE = new ProtocolSchemas("open-inference-protocol.schema.json");
    static final ProtocolSchemas TF_SERVING = new ProtocolSchemas("tensorflow-serving.schema.json");

    private final ObjectNode document;

    private ProtocolSchemas(String file) {
        try (InputStream in = ProtocolSchemas.class.getResourceAsStream("/protocols/" + file)) {
            document = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The errors of {@code json} against the definition {@code name}; empty when it conforms. */
    List<String> errors(String name, String json) {
        assertThat(document.get("$defs").has(name)).as("schema definition %s", name).isTrue();
        ObjectNode root = document.deepCopy();
        root.put("$ref", "#/$defs/" + name);
        Schema schema = REGISTRY.getSchema(JSON.writeValueAsString(root), InputFormat.JSON);
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    void assertConforms(String name, String json) {
        assertThat(errors(name, json)).as("%s: %s", name, json.length() > 600 ? json.substring(0, 600) + "..." : json).isEmpty();
    }
}
