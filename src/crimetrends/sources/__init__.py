"""Source registry: one declarative entry per dataset."""
