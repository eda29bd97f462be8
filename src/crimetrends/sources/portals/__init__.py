"""Portal connectors: page through a live dataset, with retries and resumable checkpoints."""
