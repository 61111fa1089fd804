package io.deepmnist.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI deepMnistOpenApi() {
        return new OpenAPI().info(new Info()
                .title("deep-mnist-service")
                .version("v1")
                .description("""
                        TensorFlow's "Deep MNIST for Experts" as a service: train the tutorial's softmax regression and \
                        deep CNN as asynchronous jobs, follow them live over server-sent events, and keep their \
                        checkpoints and models. Errors are RFC 9457 problem details (application/problem+json).""")
                .license(new License().name("Apache-2.0")));
    }
}
