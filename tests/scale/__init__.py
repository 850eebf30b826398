"""At scale: the query plans of the timeline on the synthetic data set."""
