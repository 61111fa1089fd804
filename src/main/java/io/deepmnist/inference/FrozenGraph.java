package io.deepmnist.inference;

import com.google.protobuf.UnsafeByteOperations;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A SavedModel's serving function as a graph of its own, with the weights as constants: only the nodes the
 * signature's outputs need, each variable replaced by a constant holding its value. Grappler can then fold the
 * casts that bf16 puts on the weights into bf16 constants, once per session, where a session on the SavedModel
 * casts fc1's 3.2 million weights again on every run; and oneDNN keeps its own layout of constant filters.
 */
final class FrozenGraph {

    /** What TF Java's {@code Ops.variable} makes; resource variables ({@code VarHandleOp}) are refused. */
    private static final Set<String> VARIABLES = Set.of("VariableV2", "Variable");

    private FrozenGraph() {
    }

    /** @throws IllegalArgumentException where the function needs state that is not a variable's value */
    static Graph of(SavedModelBundle bundle, Signature signature) {
        Map<String, NodeDef> nodes = new HashMap<>();
        GraphDef saved = bundle.graph().toGraphDef();
        saved.getNodeList().forEach(node -> nodes.put(node.getName(), node));

        Set<String> needed = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        signature.getOutputs().values().forEach(output -> pending.push(nodeName(output.name)));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            NodeDef node = nodes.get(name);
            if (node == null) {
                throw new IllegalArgumentException("the serving function needs node '" + name + "', which the graph lacks");
            }
            if (!needed.add(name) || isVariable(node)) {
                continue;
            }
            if (node.getOp().equals("VarHandleOp") || node.getOp().startsWith("Assign")) {
                throw new IllegalArgumentException("cannot freeze the serving function: it needs " + node.getOp() + " '" + name + "'");
            }
            node.getInputList().forEach(input -> pending.push(nodeName(input)));
        }

        GraphDef.Builder frozen = GraphDef.newBuilder().setVersions(saved.getVersions()).setLibrary(saved.getLibrary());
        for (NodeDef node : saved.getNodeList()) {
            if (needed.contains(node.getName())) {
                frozen.addNode(isVariable(node) ? constant(bundle, node) : portable(node));
            }
        }
        Graph graph = new Graph();
        try {
            graph.importGraphDef(frozen.build());
            return graph;
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    private static boolean isVariable(NodeDef node) {
        return VARIABLES.contains(node.getOp());
    }

    /** Input names read {@code node}, {@code node:1} or {@code ^node} (a control input). */
    private static String nodeName(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int port = name.lastIndexOf(':');
        return port < 0 ? name : name.substring(0, port);
    }

    /** Without its device (the model may have been trained on a GPU) and colocation with nodes now gone. */
    private static NodeDef portable(NodeDef node) {
        return node.toBuilder().clearDevice().removeAttr("_class").build();
    }

    private static NodeDef constant(SavedModelBundle bundle, NodeDef variable) {
        try (Result result = bundle.session().runner().fetch(variable.getName()).run()) {
            Tensor value = result.get(0);
            byte[] bytes = new byte[Math.toIntExact(value.numBytes())];
            value.asRawTensor().data().read(bytes);
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (long size : value.shape().asArray()) {
                shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
            }
            TensorProto proto = TensorProto.newBuilder().setDtype(value.dataType()).setTensorShape(shape)
                    .setTensorContent(UnsafeByteOperations.unsafeWrap(bytes)).build();
            return NodeDef.newBuilder().setName(variable.getName()).setOp("Const")
                    .putAttr("dtype", AttrValue.newBuilder().setType(value.dataType()).build())
                    .putAttr("value", AttrValue.newBuilder().setTensor(proto).build())
                    .build();
        }
    }
}
