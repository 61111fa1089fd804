CREATE TABLE job (
    id                  VARCHAR(64)  NOT NULL PRIMARY KEY,
    state               VARCHAR(16)  NOT NULL,
    model               VARCHAR(16)  NOT NULL,
    steps               INT          NOT NULL,
    batch_size          INT          NOT NULL,
    optimizer           VARCHAR(32)  NOT NULL,
    learning_rate       REAL         NOT NULL,
    keep_prob           REAL         NOT NULL,
    log_every           INT          NOT NULL,
    checkpoint_every    INT          NOT NULL,
    seed                BIGINT       NOT NULL,
    promote             BOOLEAN      NOT NULL,
    device              VARCHAR(64),
    step                INT          NOT NULL,
    training_accuracy   REAL,
    loss                REAL,
    examples_per_second DOUBLE PRECISION,
    validation_accuracy DOUBLE PRECISION,
    test_accuracy       DOUBLE PRECISION,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE,
    finished_at         TIMESTAMP WITH TIME ZONE,
    error               VARCHAR(4000),
    model_id            VARCHAR(64)
);

CREATE INDEX job_created_at ON job (created_at);
CREATE INDEX job_state_created_at ON job (state, created_at);

CREATE TABLE job_event (
    job_id     VARCHAR(64)   NOT NULL,
    seq        BIGINT        NOT NULL,
    type       VARCHAR(16)   NOT NULL,
    data       VARCHAR(4000) NOT NULL,
    terminal   BOOLEAN       NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job_id, seq)
);
