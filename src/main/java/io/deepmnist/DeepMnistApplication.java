package io.deepmnist;

import io.deepmnist.bench.BenchCommand;
import io.deepmnist.tutorial.TutorialCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/** {@code @SpringBootApplication}, but the scan leaves the management port's configuration to its own context. */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = ManagementContextConfiguration.class)})
@ConfigurationPropertiesScan
public class DeepMnistApplication {

    public static void main(String[] args) {
        if (args.length > 0 && TutorialCommand.NAME.equals(args[0])) {
            // The command line needs no Spring context and no web server; it logs tersely to stderr.
            System.setProperty("logback.configurationFile", "logback-tutorial.xml");
            System.exit(new TutorialCommand(System.out, System.err).run(Arrays.asList(args).subList(1, args.length)));
        }
        if (args.length > 0 && BenchCommand.NAME.equals(args[0])) {
            System.setProperty("logback.configurationFile", "logback-tutorial.xml");
            System.exit(BenchCommand.run(Arrays.asList(args).subList(1, args.length),
                    serviceArgs -> SpringApplication.run(DeepMnistApplication.class, serviceArgs)));
        }
        SpringApplication.run(DeepMnistApplication.class, args);
    }
}
