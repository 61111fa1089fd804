package io.deepmnist.web;

import io.deepmnist.config.InferenceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;

/** The properties the web layer's filters read; slices do not scan for {@code @ConfigurationProperties}. */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({SecurityProperties.class, InferenceProperties.class})
class WebSliceProperties {
}
