package io.deepmnist.web.protocol.oip.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import inference.GrpcPredictV2;
import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.inference.TrainedModels;
import io.deepmnist.web.protocol.oip.grpc.v2.GRPCInferenceServiceGrpc;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.InferTensorContents;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Open Inference Protocol over gRPC, driven by a client the project did not write (Apache Camel's KServe
 * component, with its own stubs of the protocol's file) and by this project's stubs for what Camel does not
 * expose: every answer checked against REST's {@code /predict}, the statuses, 200 concurrent calls, health and
 * reflection. The tutorial's softmax is the default model.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcInferenceTests {

    private static final int DIGITS = 20;
    private static final Path HOME = TestHome.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TrainedModels.linkInto(HOME, TrainedModels.softmax());
        registry.add("mnist.home", HOME::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    GrpcServer server;

    @Autowired
    MeterRegistry meters;

    private CamelContext camel;
    private ProducerTemplate producer;
    private ManagedChannel channel;
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
    private float[] images;
    private List<Integer> restDigits;

    @BeforeAll
    void startClients() throws Exception {
        ApiClient api = new ApiClient(port);
        assertThat(api.post("/models/" + TrainedModels.softmax().id() + "/promote", null).status()).isEqualTo(200);
        images = TrainedModels.probeImages();
        StringBuilder instances = new StringBuilder("{\"instances\":[");
        for (int i = 0; i < DIGITS; i++) {
            instances.append(i == 0 ? "[" : ",[");
            for (int p = 0; p < MnistFile.PIXELS; p++) {
                instances.append(p == 0 ? "" : ",").append(images[i * MnistFile.PIXELS + p]);
            }
            instances.append(']');
        }
        restDigits = new ArrayList<>();
        api.post("/predict", instances.append("]}").toString()).json().get("predictions")
                .forEach(p -> restDigits.add(p.get("digit").asInt()));
        assertThat(restDigits).hasSize(DIGITS);

        camel = new DefaultCamelContext();
        camel.start();
        producer = camel.createProducerTemplate();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterAll
    void stopClients() throws Exception {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        camel.close();
    }

    private <T> T camel(String api, Object body, Class<T> type) {
        return producer.requestBody("kserve:" + api + "?target=127.0.0.1:" + server.port() + "&modelName=mnist", body, type);
    }

    @Test
    void camelsClientGetsTheServersAndTheModelsHealthAndMetadata() {
        assertThat(camel("server/live", null, GrpcPredictV2.ServerLiveResponse.class).getLive()).isTrue();
        assertThat(camel("server/ready", null, GrpcPredictV2.ServerReadyResponse.class).getReady()).isTrue();
        assertThat(camel("server/metadata", null, GrpcPredictV2.ServerMetadataResponse.class).getName()).isEqualTo("deep-mnist-service");
        assertThat(camel("model/ready", null, GrpcPredictV2.ModelReadyResponse.class).getReady()).isTrue();
        GrpcPredictV2.ModelMetadataResponse metadata = camel("model/metadata", null, GrpcPredictV2.ModelMetadataResponse.class);
        assertThat(metadata.getName()).isEqualTo("mnist");
        assertThat(metadata.getPlatform()).isEqualTo("tensorflow_savedmodel");
        assertThat(metadata.getVersionsList()).isNotEmpty();
        assertThat(metadata.getInputs(0).getName()).isEqualTo("images");
        assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 784L);
        assertThat(metadata.getOutputsList()).extracting(GrpcPredictV2.ModelMetadataResponse.TensorMetadata::getName)
                .containsExactly("probabilities", "digits");
    }

    @Test
    void camelsInferGivesRestsDigitsWithTypedAndWithRawContents() {
        GrpcPredictV2.ModelInferRequest.InferInputTensor.Builder typed = GrpcPredictV2.ModelInferRequest.InferInputTensor.newBuilder()
                .setName("images").setDatatype("FP32").addShape(DIGITS).addShape(MnistFile.PIXELS);
        ByteBuffer raw = ByteBuffer.allocate(DIGITS * MnistFile.PIXELS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        GrpcPredictV2.InferTensorContents.Builder contents = GrpcPredictV2.InferTensorContents.newBuilder();
        for (int i = 0; i < DIGITS * MnistFile.PIXELS; i++) {
            contents.addFp32Contents(images[i]);
            raw.putFloat(images[i]);
        }
        GrpcPredictV2.ModelInferResponse fromContents = camel("infer", GrpcPredictV2.ModelInferRequest.newBuilder().setId("typed-20")
                .addInputs(typed.clone().setContents(contents)).build(), GrpcPredictV2.ModelInferResponse.class);
        assertThat(fromContents.getId()).isEqualTo("typed-20");
        assertThat(fromContents.getOutputs(1).getName()).isEqualTo("digits");
        assertThat(fromContents.getOutputs(1).getContents().getInt64ContentsList()).map(Long::intValue).isEqualTo(restDigits);
        assertThat(fromContents.getOutputs(0).getShapeList()).containsExactly((long) DIGITS, 10L);

        GrpcPredictV2.ModelInferResponse fromRaw = camel("infer", GrpcPredictV2.ModelInferRequest.newBuilder()
                .addInputs(typed).addRawInputContents(ByteString.copyFrom(raw.array()))
                .addOutputs(GrpcPredictV2.ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("digits"))
                .build(), GrpcPredictV2.ModelInferResponse.class);
        assertThat(fromRaw.getOutputsList()).hasSize(1);
        assertThat(fromRaw.getOutputs(0).getContents().getInt64ContentsList()).map(Long::intValue).isEqualTo(restDigits);
    }

    private ModelInferRequest.Builder request(String datatype, List<Long> shape, Function<InferTensorContents.Builder, InferTensorContents.Builder> values) {
        return ModelInferRequest.newBuilder().setModelName("mnist").addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                .setName("images").setDatatype(datatype).addAllShape(shape).setContents(values.apply(InferTensorContents.newBuilder())));
    }

    private static InferTensorContents.Builder floats(InferTensorContents.Builder b, float[] images, int from, int count) {
        for (int i = from * MnistFile.PIXELS; i < (from + count) * MnistFile.PIXELS; i++) {
            b.addFp32Contents(images[i]);
        }
        return b;
    }

    /** Aliases and the traffic policy over gRPC (issue 34): an alias is a model_version; the headers say who answered. */
    @Test
    void anAliasIsAVersionAndTheAnswersHeadersSayWhichModelAnswered() {
        ApiClient api = new ApiClient(port);
        String softmax = TrainedModels.softmax().id();
        assertThat(api.send("PUT", "/models/aliases/challenger", "application/json", "{\"modelId\":\"" + softmax + "\"}").status())
                .isEqualTo(200);
        try {
            ModelInferRequest one = request("FP32", List.of(1L, 784L), b -> floats(b, images, 0, 1)).build();
            AtomicReference<Metadata> headers = new AtomicReference<>();
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub capturing =
                    stub.withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
            capturing.modelInfer(one);
            assertThat(headers.get().get(key("x-model-id"))).isEqualTo(softmax);
            assertThat(headers.get().get(key("x-model-alias"))).isEqualTo("default");

            ModelInferResponse byAlias = capturing.modelInfer(one.toBuilder().setModelVersion("challenger").build());
            assertThat(byAlias.getModelVersion()).isEqualTo(api.get("/models/" + softmax).json().get("version").asString());
            assertThat(headers.get().get(key("x-model-alias"))).isEqualTo("challenger");

            assertThat(api.send("PUT", "/models/traffic", "application/json",
                    "{\"routes\":[{\"alias\":\"challenger\",\"weight\":100}],\"stickyHeader\":\"X-Client-Id\"}").status()).isEqualTo(200);
            Metadata client = new Metadata();
            client.put(key("x-client-id"), "client-7");
            capturing.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(client)).modelInfer(one);
            assertThat(headers.get().get(key("x-model-alias"))).isEqualTo("challenger");
        } finally {
            api.send("DELETE", "/models/traffic", null, null);
            api.send("DELETE", "/models/aliases/challenger", null, null);
        }
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    @Test
    void uint8ShapesAndRawOutputsAnswerAsTheySay() {
        ModelInferResponse uint8 = stub.modelInfer(request("UINT8", List.of(2L, 28L, 28L, 1L), b -> {
            for (int i = 0; i < 2 * MnistFile.PIXELS; i++) {
                b.addUintContents(Math.round(images[i] * 255));
            }
            return b;
        }).build());
        assertThat(uint8.getOutputs(1).getContents().getInt64ContentsList()).map(Long::intValue).isEqualTo(restDigits.subList(0, 2));

        ModelInferResponse raw = stub.modelInfer(request("FP32", List.of(3L, 28L, 28L), b -> floats(b, images, 0, 3))
                .putParameters("binary_data_output", io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.InferParameter
                        .newBuilder().setBoolParam(true).build()).build());
        assertThat(raw.getRawOutputContentsCount()).isEqualTo(2);
        assertThat(raw.getOutputs(0).hasContents()).isFalse();
        ByteBuffer digits = raw.getRawOutputContents(1).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(List.of((int) digits.getLong(), (int) digits.getLong(), (int) digits.getLong())).isEqualTo(restDigits.subList(0, 3));
        ByteBuffer probabilities = raw.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(probabilities.remaining()).isEqualTo(3 * 10 * Float.BYTES);
    }

    @Test
    void eachMistakeGetsItsStatusAndSaysWhatToFix() {
        GrpcCallGuardTests.assertStatus(() -> stub.modelInfer(request("FP32", List.of(1L, 784L), b -> floats(b, images, 0, 1)).setModelName("no-such-model").build()),
                Status.Code.NOT_FOUND, "no-such-model");
        GrpcCallGuardTests.assertStatus(() -> stub.modelInfer(request("FP32", List.of(1L, 784L), b -> floats(b, images, 0, 1)).setModelVersion("999").build()),
                Status.Code.NOT_FOUND, "999");
        GrpcCallGuardTests.assertStatus(() -> stub.modelInfer(request("FP64", List.of(1L, 784L), b -> b).build()), Status.Code.INVALID_ARGUMENT, "FP32");
        GrpcCallGuardTests.assertStatus(() -> stub.modelInfer(request("FP32", List.of(1L, 783L), b -> b).build()), Status.Code.INVALID_ARGUMENT, "[N,784]");
        GrpcCallGuardTests.assertStatus(() -> stub.modelInfer(request("FP32", List.of(2L, 784L), b -> floats(b, images, 0, 1)).build()),
                Status.Code.INVALID_ARGUMENT, "holds 1568 values but fp32_contents has 784");
        GrpcCallGuardTests.assertStatus(() -> stub.modelInfer(request("FP32", List.of(1L, 784L), b -> floats(b, images, 0, 1)).setInputs(0,
                        request("FP32", List.of(1L, 784L), b -> floats(b, images, 0, 1)).getInputs(0).toBuilder().setName("pixels")).build()),
                Status.Code.INVALID_ARGUMENT, "unknown input 'pixels'");
        GrpcCallGuardTests.assertStatus(() -> stub.modelReady(io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelReadyRequest.newBuilder()
                .setName("nothing").build()), Status.Code.NOT_FOUND, "nothing");
        // 1,700 images of FP32 contents: 5.3 MB, over mnist.inference.max-request-size (5 MB), as for REST bodies.
        float[] many = new float[1700 * MnistFile.PIXELS];
        GrpcCallGuardTests.assertStatus(() -> stub.modelInfer(request("FP32", List.of(1700L, 784L), b -> floats(b, many, 0, 1700)).build()),
                Status.Code.RESOURCE_EXHAUSTED, "exceeds maximum size 5242880");
    }

    @Test
    void twoHundredConcurrentCallsOverOneChannelAllAnswerRightly() throws Exception {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceStub async = GRPCInferenceServiceGrpc.newStub(channel);
        List<CompletableFuture<ModelInferResponse>> calls = new ArrayList<>();
        for (int c = 0; c < 200; c++) {
            int digit = c % DIGITS;
            CompletableFuture<ModelInferResponse> answer = new CompletableFuture<>();
            async.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(request("FP32", List.of(1L, 784L), b -> floats(b, images, digit, 1))
                    .setId("call-" + c).build(), new StreamObserver<>() {
                        @Override
                        public void onNext(ModelInferResponse value) {
                            answer.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            calls.add(answer);
        }
        for (int c = 0; c < calls.size(); c++) {
            ModelInferResponse answer = calls.get(c).get(60, TimeUnit.SECONDS);
            assertThat(answer.getId()).isEqualTo("call-" + c);
            assertThat((int) answer.getOutputs(1).getContents().getInt64Contents(0)).as("call %d", c).isEqualTo(restDigits.get(c % DIGITS));
        }
        assertThat(meters.get("deepmnist.predict.requests").tags("protocol", "grpc", "outcome", "success").counters())
                .as("the predictions' own series, tagged with their protocol").isNotEmpty()
                .allSatisfy(counter -> assertThat(counter.count()).isPositive());
        assertThat(meters.get("deepmnist.grpc.calls").tags("method", "ModelInfer", "status", "OK").timer().count()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void theStandardHealthServiceAndReflectionAnswer() throws Exception {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder()
                .setService("inference.GRPCInferenceService").build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<ServerReflectionResponse> listed = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> reflection = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse value) {
                listed.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                listed.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        reflection.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        assertThat(listed.get(30, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
                .extracting(s -> s.getName()).contains("inference.GRPCInferenceService", "grpc.health.v1.Health");
        reflection.onCompleted();
    }
}
