package io.deepmnist.bench;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.web.protocol.oip.grpc.v2.GRPCInferenceServiceGrpc;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.InferTensorContents;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop gRPC load of {@code ModelInfer} calls on one channel (HTTP/2, as a gRPC client keeps it), from
 * grpc-java in this process: {@code concurrency} callers, each sending its next call once the last is answered.
 */
final class GrpcLoad implements AutoCloseable {

    private final ManagedChannel channel;
    private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    GrpcLoad(int port) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        this.stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    /** Requests of {@code batch} images each, FP32 in typed contents, the images taken in turn from {@code images}. */
    static List<ModelInferRequest> requests(float[] images, int digits, int batch) {
        List<ModelInferRequest> requests = new ArrayList<>();
        for (int i = 0; i < digits; i++) {
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            for (int b = 0; b < batch; b++) {
                int image = (i + b) % digits;
                for (int p = 0; p < MnistFile.PIXELS; p++) {
                    contents.addFp32Contents(images[image * MnistFile.PIXELS + p]);
                }
            }
            requests.add(ModelInferRequest.newBuilder().setModelName("mnist").addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("images").setDatatype("FP32").addShape(batch).addShape(MnistFile.PIXELS).setContents(contents)).build());
        }
        return requests;
    }

    LoadGenerator.Result run(List<ModelInferRequest> requests, int concurrency, Duration warmup, Duration measure)
            throws InterruptedException {
        return LoadGenerator.closedLoop("grpc-load", concurrency, warmup, measure, i -> stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .modelInfer(requests.get(i % requests.size())).getOutputsCount() > 0);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
