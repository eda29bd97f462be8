"""`python -m crimetrends ...` runs the command line."""

from crimetrends.cli import main

main()
