-- Every model gets a version number, its place in the registry, for the standard inference protocols
-- (/v2/models/mnist/versions/3, /v1/models/mnist/versions/3:predict). A number is never given twice, also
-- after the model that had it is deleted: the counter only grows.
ALTER TABLE model ADD COLUMN version BIGINT;

UPDATE model SET version = (SELECT COUNT(*) FROM model older
                            WHERE older.created_at < model.created_at
                               OR (older.created_at = model.created_at AND older.id <= model.id));

ALTER TABLE model ALTER COLUMN version SET NOT NULL;
CREATE UNIQUE INDEX model_version ON model (version);

CREATE TABLE model_version_counter (
    name         VARCHAR(16) NOT NULL PRIMARY KEY,
    last_version BIGINT      NOT NULL
);
INSERT INTO model_version_counter (name, last_version) SELECT 'model', COALESCE(MAX(version), 0) FROM model;
