"""Aggregates and statistics over the store."""
