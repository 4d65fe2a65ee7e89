-- Append this run's model row from the temp table out_clv_model to the fit history.
INSERT INTO lake.clv_model BY NAME SELECT * FROM temp.main.out_clv_model
