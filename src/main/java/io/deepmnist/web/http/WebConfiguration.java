package io.deepmnist.web.http;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Spring MVC's part of the API key: the check runs on the handler that was matched (see {@link ApiKeyInterceptor}). */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final SecurityProperties security;
    private final ProblemWriter problems;

    WebConfiguration(SecurityProperties security, ProblemWriter problems) {
        this.security = security;
        this.problems = problems;
    }

    /** The probes on the API port (and Actuator, where it shares the port): details with the key only. */
    @Bean
    ManagementAccessFilter probeAccessFilter() {
        return new ManagementAccessFilter(new ApiKey(security), problems);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ApiKeyInterceptor(security, problems));
    }
}
