-- The step of the job's newest checkpoint that reached the artifact store: with a bucket, the point a failover
-- resumes from. With a directory, every checkpoint is in the store once written.
ALTER TABLE job ADD COLUMN stored_step INT;
