-- The prediction log: each answered image with its input, the model that answered and what it said, kept for a
-- while (mnist.feedback.*) so that a user can say what the image really was. The labels make each model's live
-- accuracy. No foreign key to model: a deleted model's labelled history stays until retention removes it.
-- Binary columns: the 784 pixels as bytes 0-255, the ten probabilities as little-endian floats (40 bytes).
CREATE TABLE prediction_log (
    id            VARCHAR(36)              NOT NULL PRIMARY KEY,
    model_id      VARCHAR(64)              NOT NULL,
    digit         SMALLINT                 NOT NULL,
    probabilities BYTEA                    NOT NULL,
    pixels        BYTEA                    NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    label         SMALLINT,
    labelled_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX prediction_log_created ON prediction_log (created_at);
