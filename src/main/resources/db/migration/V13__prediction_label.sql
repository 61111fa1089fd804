-- Labels get a table of their own, a row only for a prediction a user labelled, with what the live accuracy needs
-- (the model, its digit, when it answered). The gauges read every label every 15 s on every replica: in the log
-- itself that read went through every logged image (100,000 rows by default). No foreign key: retention deletes a
-- prediction's label with it, by the same creation time, and a cascade would cost a statement per deleted row.
CREATE TABLE prediction_label (
    prediction_id VARCHAR(36)              NOT NULL PRIMARY KEY,
    model_id      VARCHAR(64)              NOT NULL,
    digit         SMALLINT                 NOT NULL,
    label         SMALLINT                 NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    labelled_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX prediction_label_created ON prediction_label (created_at);
CREATE INDEX prediction_label_labelled ON prediction_label (labelled_at);
INSERT INTO prediction_label (prediction_id, model_id, digit, label, created_at, labelled_at)
    SELECT id, model_id, digit, label, created_at, COALESCE(labelled_at, created_at) FROM prediction_log WHERE label IS NOT NULL;
ALTER TABLE prediction_log DROP COLUMN label;
ALTER TABLE prediction_log DROP COLUMN labelled_at;
