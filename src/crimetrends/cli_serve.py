"""`python -m crimetrends.cli_serve PORT`: the API on 127.0.0.1 (used by the benchmark)."""

from __future__ import annotations

import sys

import uvicorn

from crimetrends.publish.api import create_app

if __name__ == "__main__":
    uvicorn.run(create_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
