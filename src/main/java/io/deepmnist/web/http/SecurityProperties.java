package io.deepmnist.web.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mnist.security.*}.
 *
 * @param apiKey         when set (environment {@code MNIST_API_KEY}), mutating requests need it
 * @param protectPredict predictions need the key too
 */
@ConfigurationProperties("mnist.security")
public record SecurityProperties(String apiKey, @DefaultValue("false") boolean protectPredict) {

    public boolean enabled() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** Whether a prediction request must carry the key. */
    public boolean predictionsNeedKey() {
        return enabled() && protectPredict;
    }
}
