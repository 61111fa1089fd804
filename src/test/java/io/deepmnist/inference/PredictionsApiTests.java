package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deepmnist.ApiClient;
import io.deepmnist.TestHome;
import io.deepmnist.TrainsCnn;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.dataset.RealMnist;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Real digit images over HTTP, against a CNN trained in this test run. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TrainsCnn
class PredictionsApiTests {

    static final Path HOME = TestHome.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TrainedModels.linkInto(HOME, TrainedModels.cnn(), TrainedModels.softmax());
        registry.add("mnist.home", HOME::toString);
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    /** Actuator, on its own port. */
    private ApiClient management() {
        return new ApiClient(managementPort);
    }

    private final float[] images = TrainedModels.probeImages();

    private ApiClient api() {
        ApiClient api = new ApiClient(port);
        api.post("/models/" + TrainedModels.cnn().id() + "/promote", null);
        return api;
    }

    private List<byte[]> render(BiFunction<float[], Integer, BufferedImage> drawing) {
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < TrainedModels.PROBE; i++) {
            pngs.add(Digits.png(drawing.apply(images, i)));
        }
        return pngs;
    }

    private static int argmax(float[] p, int offset) {
        int best = 0;
        for (int c = 1; c < 10; c++) {
            if (p[offset + c] > p[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    @Test
    void mnistDigitsAsPngsGetTheSamePredictionsAsTheEngineInProcess() {
        ApiClient.Response response = api().multipart("/predict", "image", render(Digits::mnist), "image/png");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("modelId").asString()).isEqualTo(TrainedModels.cnn().id());
        JsonNode predictions = body.get("predictions");
        assertThat(predictions).hasSize(TrainedModels.PROBE);
        float[] expected = TrainedModels.cnn().probeProbabilities();
        for (int i = 0; i < TrainedModels.PROBE; i++) {
            JsonNode p = predictions.get(i);
            assertThat(p.get("digit").asInt()).as("digit %d", i).isEqualTo(argmax(expected, i * 10));
            assertThat(p.get("probabilities")).hasSize(10);
            for (int c = 0; c < 10; c++) {
                assertThat(p.get("probabilities").get(c).asDouble()).isCloseTo(expected[i * 10 + c], within(1e-5));
            }
            assertThat(p.get("confidence").asDouble()).isCloseTo(expected[i * 10 + p.get("digit").asInt()], within(1e-5));
        }
    }

    @Test
    void digitsDrawnOnAWhiteCanvasOrAsTransparentDrawingsAreRecognised() {
        ApiClient api = api();
        for (BiFunction<float[], Integer, BufferedImage> drawing : List.<BiFunction<float[], Integer, BufferedImage>>of(
                Digits::onWhiteCanvas, Digits::rgbaDrawing)) {
            JsonNode predictions = api.multipart("/predict", "image", render(drawing), "image/png").json().get("predictions");
            int correct = 0;
            for (int i = 0; i < TrainedModels.PROBE; i++) {
                if (predictions.get(i).get("digit").asInt() == RealMnist.get().test().digit(i)) {
                    correct++;
                }
            }
            assertThat(correct / (double) TrainedModels.PROBE).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void aRawPngBodyAJpegAndJsonPixelsAreAnsweredAlike() {
        ApiClient api = api();
        int digit = RealMnist.get().test().digit(0);
        assertThat(api.sendBytes("/predict", "image/png", Digits.png(Digits.onWhiteCanvas(images, 0))).json()
                .get("predictions").get(0).get("digit").asInt()).isEqualTo(digit);
        BufferedImage rgb = Digits.onWhiteCanvas(images, 0);
        assertThat(api.sendBytes("/predict", "image/jpeg", Digits.encode(rgb, "jpeg")).json()
                .get("predictions").get(0).get("digit").asInt()).isEqualTo(digit);

        StringBuilder unit = new StringBuilder();
        StringBuilder bytes = new StringBuilder();
        for (int i = 0; i < MnistFile.PIXELS; i++) {
            unit.append(i == 0 ? "" : ",").append(images[i]);
            bytes.append(i == 0 ? "" : ",").append(Math.round(images[i] * 255));
        }
        JsonNode one = api.post("/predict", "{\"pixels\":[" + unit + "]}").json();
        JsonNode batch = api.post("/models/" + TrainedModels.softmax().id() + "/predict",
                "{\"instances\":[[" + unit + "],[" + bytes + "]]}").json();
        assertThat(one.get("predictions").get(0).get("digit").asInt()).isEqualTo(digit);
        assertThat(batch.get("modelId").asString()).isEqualTo(TrainedModels.softmax().id());
        assertThat(batch.get("predictions")).hasSize(2);
        assertThat(batch.get("predictions").get(1).get("probabilities").get(digit).asDouble())
                .isCloseTo(batch.get("predictions").get(0).get("probabilities").get(digit).asDouble(), within(1e-4));
    }

    @Test
    void explainReturnsThePixelsTheModelSaw() {
        JsonNode body = api().sendBytes("/predict?explain=true", "image/png", Digits.png(Digits.mnist(images, 3))).json();
        JsonNode seen = body.get("inputs").get(0);
        assertThat(seen).hasSize(MnistFile.PIXELS);
        for (int i = 0; i < MnistFile.PIXELS; i++) {
            assertThat(seen.get(i).asDouble()).isCloseTo(images[3 * MnistFile.PIXELS + i], within(1e-6));
        }
    }

    @Test
    void promotionSwapsTheDefaultUnderLoadWithoutFailingARequest() throws Exception {
        ApiClient api = api();
        String cnnId = TrainedModels.cnn().id();
        String softmaxId = TrainedModels.softmax().id();
        byte[] png = Digits.png(Digits.onWhiteCanvas(images, 1));
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> answeredBy = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Thread client = new Thread(() -> {
                ApiClient own = new ApiClient(port);
                while (!stop.get()) {
                    ApiClient.Response r = own.sendBytes("/predict", "image/png", png);
                    if (r.status() != 200) {
                        failures.add(r.status() + " " + r.body());
                    } else {
                        answeredBy.add(r.json().get("modelId").asString());
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        for (int i = 0; i < 20; i++) {
            ApiClient.Response promoted = api.post("/models/" + (i % 2 == 0 ? softmaxId : cnnId) + "/promote", null);
            assertThat(promoted.status()).isEqualTo(200);
            Thread.sleep(50);
        }
        stop.set(true);
        for (Thread client : clients) {
            client.join(30_000);
        }

        assertThat(failures).isEmpty();
        assertThat(answeredBy).hasSizeGreaterThan(40).containsOnly(cnnId, softmaxId).contains(cnnId, softmaxId);
        JsonNode models = api.get("/models").json();
        assertThat(models).hasSizeGreaterThanOrEqualTo(2);
        assertThat(api.get("/models/" + cnnId).json().get("isDefault").asBoolean()).isTrue();
    }

    @Test
    void aTrainedJobsModelIsRegisteredButOnlyBecomesDefaultWhenItIsBetter() {
        ApiClient api = api();
        String job = api.submit("{\"model\":\"softmax\",\"steps\":20}").get("id").asString();
        JsonNode done = api.awaitJob(job, j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(60));
        String modelId = done.get("modelId").asString();

        JsonNode model = api.get("/models/" + modelId).json();
        assertThat(model.get("jobId").asString()).isEqualTo(job);
        assertThat(model.get("isDefault").asBoolean()).isFalse();
        assertThat(model.get("manifest").get("hyperparameters").get("steps").asInt()).isEqualTo(20);
        assertThat(api.get("/models").json().get(0).get("id").asString()).isEqualTo(modelId);

        assertThat(api.send("DELETE", "/models/" + TrainedModels.cnn().id(), null, null).status()).isEqualTo(409);
        assertThat(api.send("DELETE", "/models/" + modelId, null, null).status()).isEqualTo(204);
        assertThat(api.get("/models/" + modelId).status()).isEqualTo(404);
        assertThat(management().get("/actuator/metrics/deepmnist.predict.requests").status()).isEqualTo(200);
    }

    @Test
    void jsonPixelsInEitherPolarityAndAsRowsGetTheSameDigitsAsPngs() {
        ApiClient api = api();
        int n = 20;
        StringBuilder whiteOnBlackRows = new StringBuilder("{\"instances\":[");
        StringBuilder blackOnWhite = new StringBuilder("{\"instances\":[");
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            whiteOnBlackRows.append(i == 0 ? "[" : ",[");
            blackOnWhite.append(i == 0 ? "[" : ",[");
            for (int p = 0; p < MnistFile.PIXELS; p++) {
                float v = images[i * MnistFile.PIXELS + p];
                int ink = 255 - Math.round(v * 255);
                whiteOnBlackRows.append(p % 28 == 0 ? (p == 0 ? "[" : "],[") : ",").append(v);
                blackOnWhite.append(p == 0 ? "" : ",").append(ink);
                png.getRaster().setSample(p % 28, p / 28, 0, ink);
            }
            whiteOnBlackRows.append("]]");
            blackOnWhite.append("]");
            pngs.add(Digits.png(png));
        }
        JsonNode rows = api.post("/predict?explain=true", whiteOnBlackRows.append("]}").toString()).json();
        JsonNode inverted = api.post("/predict", blackOnWhite.append("]}").toString()).json();
        JsonNode asPngs = api.multipart("/predict", "image", pngs, "image/png").json();

        float[] expected = TrainedModels.cnn().probeProbabilities();
        for (int i = 0; i < n; i++) {
            int digit = argmax(expected, i * 10);
            assertThat(rows.get("predictions").get(i).get("digit").asInt()).as("28 rows of 28, digit %d", i).isEqualTo(digit);
            assertThat(rows.get("predictions").get(i).get("probabilities").get(digit).asDouble())
                    .as("an MNIST-format input is used as it is").isCloseTo(expected[i * 10 + digit], within(1e-5));
            assertThat(inverted.get("predictions").get(i).get("digit").asInt()).as("black on white, digit %d", i).isEqualTo(digit);
            assertThat(asPngs.get("predictions").get(i).get("digit").asInt()).as("PNG, digit %d", i).isEqualTo(digit);
            for (int c = 0; c < 10; c++) {
                assertThat(inverted.get("predictions").get(i).get("probabilities").get(c).asDouble()).as("JSON as PNG")
                        .isCloseTo(asPngs.get("predictions").get(i).get("probabilities").get(c).asDouble(), within(1e-5));
            }
            for (int p = 0; p < MnistFile.PIXELS; p++) {
                assertThat(rows.get("inputs").get(i).get(p).floatValue()).isEqualTo(images[i * MnistFile.PIXELS + p]);
            }
        }

        String one = blackOnWhite.substring(blackOnWhite.indexOf("[[") + 1, blackOnWhite.indexOf("],[") + 1);
        JsonNode raw = api.post("/predict?preprocess=false&explain=true", "{\"pixels\":" + one + "}").json();
        String[] sent = one.substring(1, one.length() - 1).split(",");
        for (int p = 0; p < MnistFile.PIXELS; p++) {
            assertThat(raw.get("inputs").get(0).get(p).floatValue()).as("pixel %d passed through", p)
                    .isEqualTo(Integer.parseInt(sent[p]) / 255f);
        }
    }
}
