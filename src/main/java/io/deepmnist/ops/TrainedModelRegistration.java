package io.deepmnist.ops;

import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.jobs.TrainedModelListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Jobs and inference know nothing of each other; here a job's exported model reaches the registry. */
@Configuration(proxyBeanMethods = false)
class TrainedModelRegistration {

    @Bean
    TrainedModelListener registerTrainedModels(ModelRegistry registry) {
        return registry::register;
    }
}
