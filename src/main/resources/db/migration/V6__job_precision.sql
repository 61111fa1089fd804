-- What the job asked for (AUTO, FP32, BF16) until it first runs, then what it trains in (FP32 or BF16).
-- Jobs from before trained in FP32.
ALTER TABLE job ADD COLUMN training_precision VARCHAR(8) DEFAULT 'FP32' NOT NULL;
