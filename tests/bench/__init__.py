"""The benchmarks' own code: the synthetic data set."""
