package io.deepmnist.web.http;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * The management port's own context: {@link ManagementAccessFilter} over every Actuator endpoint. Listed in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}, and kept out of the application's component
 * scan, which would add it to the API port's context as well.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementAccess {

    @Bean
    ManagementAccessFilter managementAccessFilter(SecurityProperties security, JsonMapper json) {
        return new ManagementAccessFilter(new ApiKey(security), new ProblemWriter(json));
    }
}
