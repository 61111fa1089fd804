-- The replicas that share the store, each with its own heartbeat (the store's clock), for the health endpoint:
-- which replicas are alive, and what they train on. A replica removes its row when it stops cleanly.
CREATE TABLE replica (
    name           VARCHAR(128)             NOT NULL PRIMARY KEY,
    devices        VARCHAR(400)             NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat TIMESTAMP WITH TIME ZONE NOT NULL
);
