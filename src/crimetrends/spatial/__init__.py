"""Where crime concentrates: projected grids, Gi* hotspots, density, map forecasts."""
