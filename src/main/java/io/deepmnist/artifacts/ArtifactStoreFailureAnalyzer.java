package io.deepmnist.artifacts;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A bucket that is missing, unreachable or refuses the credentials stops start-up with its reason, not a stack trace. */
class ArtifactStoreFailureAnalyzer extends AbstractFailureAnalyzer<ArtifactStoreException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ArtifactStoreException cause) {
        return new FailureAnalysis("The artifact store cannot be used: " + cause.getMessage(),
                "Check mnist.artifacts.location (s3://BUCKET/PREFIX), mnist.artifacts.s3.endpoint and region, and the "
                        + "credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the role of the machine). Leave "
                        + "mnist.artifacts.location empty to keep artifacts under mnist.home.", cause);
    }
}
