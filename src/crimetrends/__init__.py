"""crimetrends: crime trend figures with definitions, sources and 95% intervals."""

__version__ = "0.1.0"
