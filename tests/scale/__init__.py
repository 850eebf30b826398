"""Scale: the trade importer, the synthetic data set and the query plans."""
