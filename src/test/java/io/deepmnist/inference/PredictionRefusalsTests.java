package io.deepmnist.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.SharedHome;
import io.deepmnist.web.predict.PredictionBadInputTests;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A few of the refusals of {@code web.predict.PredictionBadInputTests}, end to end: through the web server's own limits on
 * bodies and multipart parts, and the real registry.
 */
@SharedHome.Service
class PredictionRefusalsTests {

    @LocalServerPort
    int port;

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        ApiClient.Response response = new ApiClient(port).sendBytes("/predict", "image/png", new byte[6 * 1024 * 1024]);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("detail").asString()).contains("larger than 5242880 bytes");
    }

    @Test
    void tooManyImagesInOneUploadAreCountedByTheService() {
        byte[] png = Digits.png(Digits.onWhiteCanvas(TrainedModels.probeImages(), 0));

        ApiClient.Response response = new ApiClient(port).multipart("/predict", "image", Collections.nCopies(300, png), "image/png");

        assertThat(response.status()).as(response.body()).isEqualTo(413);
        assertThat(response.json().get("detail").asString()).contains("300 images in one request; the limit is 256");
    }

    @Test
    void anUnknownModelIsNotFound() {
        ApiClient.Response response = new ApiClient(port).post("/models/no-such-model/predict",
                "{\"pixels\":[" + String.join(",", Collections.nCopies(784, "0")) + "]}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString())
                .isEqualTo("There is no model 'no-such-model'; GET /models lists the models there are.");
    }

    @Test
    void pixelsOfTheWrongLengthAreMalformed() {
        ApiClient.Response response = new ApiClient(port).post("/predict", "{\"instances\":[[0,0,0]]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("has 3 values; an image is 784");
        assertThat(List.of(response.header("Content-Type"))).allMatch(t -> t.startsWith("application/problem+json"));
    }
}
