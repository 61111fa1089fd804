-- The default must be a registered model, and the database says so: a replica that deletes a model another
-- replica has just promoted is refused by the store, not by its own, older idea of the default.
DELETE FROM model_default WHERE model_id NOT IN (SELECT id FROM model);
ALTER TABLE model_default ADD CONSTRAINT model_default_model FOREIGN KEY (model_id) REFERENCES model (id);
