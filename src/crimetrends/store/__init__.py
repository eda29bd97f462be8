"""Storage: Parquet parts under CRIMETRENDS_HOME, read through Ibis."""
