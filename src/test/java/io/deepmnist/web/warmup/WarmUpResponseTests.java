package io.deepmnist.web.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WarmUpResponseTests {

    @Test
    void readsOneResponseAfterAnotherFromAKeepAliveConnection() throws IOException {
        InputStream in = stream("HTTP/1.1 200 \r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                + "HTTP/1.1 503 \r\ncontent-length: 4\r\nConnection: close\r\n\r\nbusy");
        assertThat(WarmUpResponse.read(in)).isEqualTo(new WarmUpResponse(200, "{}", true));
        assertThat(WarmUpResponse.read(in)).isEqualTo(new WarmUpResponse(503, "busy", false));
    }

    @Test
    void refusesAResponseItCannotFrame() {
        assertThatThrownBy(() -> WarmUpResponse.read(stream("HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("Content-Length");
        assertThatThrownBy(() -> WarmUpResponse.read(stream("SSH-2.0-OpenSSH\r\n\r\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("not an HTTP/1.1 response");
        assertThatThrownBy(() -> WarmUpResponse.read(stream("HTTP/1.1 200 \r\nContent-Le")))
                .isInstanceOf(EOFException.class);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
