package io.deepmnist.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deepmnist.DeepMnistApplication;
import io.deepmnist.S3Server;
import io.deepmnist.TestHome;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A bucket the service cannot use stops its start with the reason and what to do, and no stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class ArtifactStoreStartupTests {

    private static S3Server server;

    @BeforeAll
    static void startServer() {
        server = S3Server.start();
        S3Server.useCredentialsInThisJvm();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static void start(String... settings) {
        Path home = TestHome.create();
        String[] args = new String[settings.length + 4];
        args[0] = "--server.port=0";
        args[1] = "--management.server.port=0";
        args[2] = "--mnist.home=" + home;
        args[3] = "--mnist.artifacts.s3.endpoint=" + server.endpoint();
        System.arraycopy(settings, 0, args, 4, settings.length);
        SpringApplication.run(DeepMnistApplication.class, args).close();
    }

    @Test
    void aMissingBucketStopsTheStartWithOneReason(CapturedOutput output) {
        assertThatThrownBy(() -> start("--mnist.artifacts.location=s3://no-such-bucket/fleet")).isNotNull();
        assertThat(output.getOut()).contains("The artifact store cannot be used: the bucket no-such-bucket does not exist at "
                + server.endpoint() + ": create it, or fix mnist.artifacts.location")
                .contains("Check mnist.artifacts.location").doesNotContain("\tat ");
    }

    @Test
    void wrongCredentialsStopTheStartWithOneReason(CapturedOutput output) {
        String bucket = server.newBucket();
        System.setProperty("aws.secretAccessKey", "wrong");
        try {
            assertThatThrownBy(() -> start("--mnist.artifacts.location=s3://" + bucket + "/fleet")).isNotNull();
        } finally {
            S3Server.useCredentialsInThisJvm();
        }
        assertThat(output.getOut()).contains("refuses these credentials (HTTP 403): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
                .doesNotContain("\tat ");
    }

    @Test
    void aLocationThatIsNoBucketOrDirectoryStopsTheStartWithOneReason(CapturedOutput output) {
        assertThatThrownBy(() -> start("--mnist.artifacts.location=gs://bucket/fleet")).isNotNull();
        assertThat(output.getOut()).contains("mnist.artifacts.location=gs://bucket/fleet is neither a directory nor s3://BUCKET/PREFIX")
                .doesNotContain("\tat ");
    }
}
