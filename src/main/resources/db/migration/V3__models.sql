-- The model registry, shared by every replica: which models exist (their SavedModels and manifests stay on
-- the shared volume under models/{id}) and which one answers /predict.
CREATE TABLE model (
    id         VARCHAR(64)              NOT NULL PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE model_default (
    name     VARCHAR(16) NOT NULL PRIMARY KEY,
    model_id VARCHAR(64) NOT NULL
);
