package io.deepmnist.ops;

import io.deepmnist.dataset.DataSplit;
import io.deepmnist.inference.LabelledExamples;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.jobs.FeedbackExamples;
import io.deepmnist.jobs.TrainedModelListener;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Jobs and inference know nothing of each other: here a job's exported model reaches the registry, and the
 * prediction log's labelled images reach the jobs that learn from them.
 */
@Configuration(proxyBeanMethods = false)
class TrainedModelRegistration {

    @Bean
    TrainedModelListener registerTrainedModels(ModelRegistry registry) {
        return registry::register;
    }

    @Bean
    FeedbackExamples feedbackExamples(LabelledExamples labelled) {
        return new FeedbackExamples() {
            @Override
            public int count(Instant until) {
                return labelled.count(until);
            }

            @Override
            public DataSplit load(Instant until) {
                return labelled.load(until);
            }
        };
    }
}
