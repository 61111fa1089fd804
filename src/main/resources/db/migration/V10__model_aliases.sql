-- Aliases name models for every replica at once: 'default' (the model that /predict and the name mnist answer
-- with, set by promote) and any other a user sets, such as 'challenger'. The default's table becomes the aliases'
-- table; its foreign key goes on refusing the delete of a model that an alias names.
ALTER TABLE model_default RENAME TO model_alias;
ALTER TABLE model_alias RENAME COLUMN name TO alias;
ALTER TABLE model_alias ALTER COLUMN alias SET DATA TYPE VARCHAR(32);

-- The traffic policy of the name mnist and /predict: weighted routes to aliases, a sticky header, a shadow alias,
-- as the JSON that PUT /models/traffic took. One row, or none for all traffic on 'default'.
CREATE TABLE traffic_policy (
    name       VARCHAR(16)              NOT NULL PRIMARY KEY,
    policy     VARCHAR(4000)            NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
