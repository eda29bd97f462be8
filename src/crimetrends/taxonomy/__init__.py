"""Harmonized offense taxonomy and per-source crosswalks."""
