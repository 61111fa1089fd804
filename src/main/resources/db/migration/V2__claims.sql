-- db-scheduler's table (the library's schema for PostgreSQL, in types H2 reads too): one row per job that is
-- queued or running, task 'train-job', instance = the job's id. A worker claims a row by picking it, and its
-- heartbeat is the lease: a row whose heartbeat stops is revived on another worker.
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100)             NOT NULL,
    task_instance        VARCHAR(100)             NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            VARCHAR(128),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- The replica that runs (or last ran) the job, and a cancel that any replica can ask for.
ALTER TABLE job ADD COLUMN node VARCHAR(128);
ALTER TABLE job ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
