package io.deepmnist.bench;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.web.protocol.oip.grpc.v2.GRPCInferenceServiceGrpc;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.InferTensorContents;
import io.deepmnist.web.protocol.oip.grpc.v2.OpenInferenceGrpc.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            int caller = c;
            Thread thread = new Thread(() -> {
                long[] own = new long[4096];
                int count = 0;
                int i = caller;
                while (System.nanoTime() < end) {
                    ModelInferRequest request = requests.get(i++ % requests.size());
                    long sent = System.nanoTime();
                    boolean ok;
                    try {
                        ok = stub.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(request).getOutputsCount() > 0;
                    } catch (RuntimeException e) {
                        ok = false;
                    }
                    long done = System.nanoTime();
                    if (sent >= measureFrom && done <= end) {
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                        if (count == own.length) {
                            own = Arrays.copyOf(own, own.length * 2);
                        }
                        own[count++] = done - sent;
                    }
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(own, count));
                }
            }, "grpc-load-" + c);
            thread.start();
            callers.add(thread);
        }
        for (Thread thread : callers) {
            thread.join();
        }
        double[] millis = latencies.stream().flatMapToLong(Arrays::stream).mapToDouble(n -> n / 1e6).toArray();
        return new LoadGenerator.Result(concurrency, Stats.round(millis.length / (measure.toNanos() / 1e9), 1),
                Stats.round(Stats.percentile(millis, 50), 2), Stats.round(Stats.percentile(millis, 99), 2), millis.length, errors.get());
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
