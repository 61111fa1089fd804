package io.deepmnist.bench;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.web.protocol.oip.grpc.v2.GRPCInferenceServiceGrpc;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.InferTensorContents;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferRequest;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop gRPC load of {@code ModelInfer} calls on one channel (HTTP/2, as a gRPC client keeps it), from
 * grpc-java in this process: {@code concurrency} calls in flight, each answered call followed at once by the next.
 * The calls are asynchronous, as gRPC's load tools (ghz, Triton's perf_analyzer) make them: the next call leaves
 * from the answer's callback, so the client parks no thread per call and takes less of the CPU the server shares.
 */
final class GrpcLoad implements AutoCloseable {

    private final ManagedChannel channel;
    private final GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub;

    GrpcLoad(int port) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        this.stub = GRPCInferenceServiceGrpc.newStub(channel);
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

    /** Only calls sent and answered within {@code measure}, after {@code warmup}, count; a failed call is an error. */
    LoadGenerator.Result run(List<ModelInferRequest> requests, int concurrency, Duration warmup, Duration measure)
            throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        CountDownLatch finished = new CountDownLatch(concurrency);
        List<Caller> callers = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Caller caller = new Caller(requests, c, measureFrom, end, finished);
            callers.add(caller);
            caller.next();
        }
        if (!finished.await(measure.plus(warmup).toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gRPC calls still unanswered a minute after the measurement ended");
        }
        return LoadGenerator.result(concurrency, callers.stream().map(c -> Arrays.copyOf(c.latencies, c.count)).toList(),
                callers.stream().mapToLong(c -> c.errors).sum(), measure);
    }

    /** One of the calls in flight: its next call leaves when the last is answered; the latch publishes its counts. */
    private final class Caller {
        private final List<ModelInferRequest> requests;
        private final long measureFrom;
        private final long end;
        private final CountDownLatch finished;
        private long[] latencies = new long[4096];
        private int count;
        private long errors;
        private int index;

        Caller(List<ModelInferRequest> requests, int first, long measureFrom, long end, CountDownLatch finished) {
            this.requests = requests;
            this.index = first;
            this.measureFrom = measureFrom;
            this.end = end;
            this.finished = finished;
        }

        void next() {
            long sent = System.nanoTime();
            if (sent >= end) {
                finished.countDown();
                return;
            }
            stub.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(requests.get(index++ % requests.size()), new StreamObserver<>() {
                private boolean answered;

                @Override
                public void onNext(ModelInferResponse response) {
                    answered = response.getOutputsCount() > 0;
                }

                @Override
                public void onError(Throwable t) {
                    // Off this thread: a call refused at once fails inside modelInfer, and would recurse.
                    CompletableFuture.runAsync(() -> done(sent, false));
                }

                @Override
                public void onCompleted() {
                    done(sent, answered);
                }
            });
        }

        private void done(long sent, boolean ok) {
            long now = System.nanoTime();
            if (sent >= measureFrom && now <= end) {
                if (!ok) {
                    errors++;
                }
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = now - sent;
            }
            next();
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
