package io.deepmnist.web.http;

import io.deepmnist.config.InferenceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What the web layer's filters and interceptors need that a slice does not pick up: their properties (slices do not
 * scan for {@code @ConfigurationProperties}), the problem writer and the prediction routes' routing (without a router).
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({SecurityProperties.class, InferenceProperties.class})
@Import({ProblemWriter.class, ModelRouting.class})
public class WebSliceProperties {
}
