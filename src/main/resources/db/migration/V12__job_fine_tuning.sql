-- A job may start from a registered model's weights (from_model), mix the labelled predictions of the prediction log
-- into its batches (feedback_ratio: their share of each batch), and point an alias at its model when it succeeds.
ALTER TABLE job ADD COLUMN from_model VARCHAR(64);
ALTER TABLE job ADD COLUMN feedback_ratio DOUBLE PRECISION;
ALTER TABLE job ADD COLUMN alias VARCHAR(32);
