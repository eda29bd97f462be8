"""Ingest: read published files, validate rows, quarantine bad ones, harmonize."""
