-- What the job asked for (AUTO, FP32, BF16), kept beside training_precision, which holds what it trains in once it
-- has run. A job that resumes, or that another replica takes over, resolves the request again on that machine: an
-- auto job that first ran in fp32 trains in bf16 on a replica that has it. Jobs from before: the best known value.
ALTER TABLE job ADD COLUMN requested_precision VARCHAR(8);
UPDATE job SET requested_precision = training_precision;
ALTER TABLE job ALTER COLUMN requested_precision SET NOT NULL;
