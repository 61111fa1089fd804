package io.deepmnist.web.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import io.deepmnist.inference.Digits;
import io.deepmnist.inference.ModelNotFoundException;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.inference.Predictor;
import io.deepmnist.inference.TrainedModels;
import io.deepmnist.web.http.WebSliceProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMultipartHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every bad prediction request gets its documented 4xx problem detail, never a 500: the web layer and the real
 * {@link Predictor} (decoding, limits, pixel checks), with a registry that knows no model, since none of these
 * requests may reach one. {@code PredictionRefusalsTests} sends a few of them to the whole service.
 */
@WebMvcTest(controllers = PredictController.class)
@Import({WebSliceProperties.class, Predictor.class, PredictionBadInputTests.Meters.class})
public class PredictionBadInputTests {

    @TestConfiguration(proxyBeanMethods = false)
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ModelRegistry registry;

    @BeforeEach
    void noModelIsEverReached() {
        given(registry.resolve(any())).willAnswer(call -> {
            throw new ModelNotFoundException(call.getArgument(0));
        });
        given(registry.lease(any())).willThrow(new AssertionError("a bad request must not reach a model"));
    }

    record Bad(String path, String contentType, byte[] body, List<byte[]> parts) {
    }

    private static Bad raw(String contentType, byte[] body) {
        return new Bad("/predict", contentType, body, null);
    }

    private static Bad json(String body) {
        return raw("application/json", body.getBytes());
    }

    private static String values(int n, String value) {
        return String.join(",", Collections.nCopies(n, value));
    }

    private static byte[] digitPng() {
        return Digits.png(Digits.onWhiteCanvas(TrainedModels.probeImages(), 0));
    }

    /** A valid PNG signature and IHDR chunk claiming 20000x20000, with no pixel data behind it. */
    private static byte[] hugePngHeader() {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(20_000).putInt(20_000)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    static Stream<Arguments> badRequests() {
        byte[] png = digitPng();
        byte[] randomBytes = new byte[2000];
        new Random(1).nextBytes(randomBytes);
        BufferedImage white = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            white.setRGB(i % 64, i / 64, 0xffffff);
        }
        List<byte[]> tooMany = new ArrayList<>(Collections.nCopies(300, png));
        return Stream.of(
                Arguments.of("empty image body", raw("image/png", new byte[0]), 400, "is empty"),
                Arguments.of("random bytes as image/png", raw("image/png", randomBytes), 400, "not an image this service can read"),
                Arguments.of("truncated PNG", raw("image/png", Arrays.copyOf(png, png.length / 2)), 400, "could not be decoded"),
                Arguments.of("20000x20000 PNG header", raw("image/png", hugePngHeader()), 413, "20000x20000 pixels; the limit is 4096x4096"),
                Arguments.of("300 images", new Bad("/predict", null, null, tooMany), 413, "300 images in one request; the limit is 256"),
                Arguments.of("blank white image", raw("image/png", Digits.png(white)), 422, "is blank"),
                Arguments.of("multipart without an image part", new Bad("/predict", null, null, List.of()), 400, "image"),
                Arguments.of("body over 5 MB", raw("image/png", new byte[6 * 1024 * 1024]), 413, "larger than"),
                Arguments.of("JSON with 783 values", json("{\"pixels\":[" + values(783, "0") + "]}"), 400, "pixels has 783 values; an image is 784"),
                Arguments.of("JSON with NaN", json("{\"pixels\":[\"NaN\"," + values(783, "0") + "]}"), 422, "pixels[0] is NaN"),
                Arguments.of("JSON with strings", json("{\"pixels\":[\"dark\"," + values(783, "0") + "]}"), 400, "Field 'pixels.[0]' must be a number"),
                Arguments.of("JSON with null", json("{\"pixels\":[null," + values(783, "0") + "]}"), 400, "pixels"),
                Arguments.of("JSON value out of range", json("{\"pixels\":[300," + values(783, "0") + "]}"), 422, "pixels[0] is 300.0; values are in [0,1] or 0-255"),
                Arguments.of("JSON negative value", json("{\"pixels\":[-1," + values(783, "0") + "]}"), 422, "pixels[0] is -1.0"),
                Arguments.of("JSON mixed scales", json("{\"pixels\":[0.5,255," + values(782, "0") + "]}"), 422, "mixes scales"),
                Arguments.of("JSON both pixels and instances", json("{\"pixels\":[],\"instances\":[]}"), 400, "either \"pixels\""),
                Arguments.of("JSON neither", json("{}"), 400, "either \"pixels\""),
                Arguments.of("JSON empty instances", json("{\"instances\":[]}"), 400, "no instances to predict"),
                Arguments.of("JSON unknown field", json("{\"pixel\":[1]}"), 400, "Unknown field 'pixel'"),
                Arguments.of("malformed JSON", json("{\"pixels\":[1,"), 400, "not valid JSON"),
                Arguments.of("wrong content type", raw("text/plain", "7".getBytes()), 415, "image/png, multipart/form-data"),
                Arguments.of("TIFF content type", raw("image/tiff", png), 415, "Content-Type 'image/tiff' is not accepted here; send one of: application/json"),
                Arguments.of("unknown model", new Bad("/models/no-such-model/predict", "image/png", png, null), 404, "There is no model 'no-such-model'"),
                Arguments.of("preprocess=false with a large image", new Bad("/predict?preprocess=false", "image/png", png, null), 422, "must be 28x28"),
                Arguments.of("bad preprocess flag", new Bad("/predict?preprocess=maybe", "image/png", png, null), 400, "preprocess"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badRequests")
    void answersWithAProblemDetail(String name, Bad bad, int status, String detail) throws Exception {
        MockHttpServletResponse response;
        if (bad.parts() != null) {
            MockMultipartHttpServletRequestBuilder request = MockMvcRequestBuilders.multipart(URI.create(bad.path()));
            List<byte[]> parts = bad.parts().isEmpty() ? List.of(digitPng()) : bad.parts();
            for (byte[] part : parts) {
                request.file(new MockMultipartFile(bad.parts().isEmpty() ? "file" : "image", "digit.png", "image/png", part));
            }
            response = mvc.perform(request).andReturn().getResponse();
        } else {
            response = mvc.perform(MockMvcRequestBuilders.post(URI.create(bad.path()))
                    .contentType(bad.contentType()).content(bad.body())).andReturn().getResponse();
        }

        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(response.getContentType()).as(response.getContentAsString()).startsWith("application/problem+json");
        assertThat(JsonMapper.builder().build().readTree(response.getContentAsString()).get("detail").asString()).contains(detail);
    }
}
