"""Output for people and programs: numbers, tables, charts and caveats, one formatter for all.

The CLI, the static site and the API render the same figure objects through these modules,
so a count or an interval reads the same everywhere.
"""
