"""Scale data: N-row incident tables made by resampling real Chicago records. SYNTHETIC.

Rows are drawn with replacement from the bundled Chicago 2014–2017 extract (real codes,
dates, places and their joint distribution); each drawn row gets a new unique ID so a load
keeps every row. The output is labelled synthetic in its name and Parquet metadata and is for
scale tests only: its counts are not anyone's crime figures.

    python bench/generate.py 10000000 /tmp/scale     # writes synthetic_chicago_10000000.parquet

Memory is bounded: rows are produced and written in chunks of 1M.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "data" / "bundled").glob("chicago_crimes_201[4-7].parquet"))
CHUNK = 1_000_000


def generate(rows: int, out_dir: Path, seed: int = 20241125) -> Path:
    base = pa.concat_tables([pq.read_table(p) for p in SOURCES])
    rng = np.random.default_rng(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"synthetic_chicago_{rows}.parquet"
    meta = {b"crimetrends": b"SYNTHETIC: rows resampled with replacement from real Chicago records"}
    schema = base.schema.with_metadata(meta)
    tmp = path.with_suffix(".parquet.part")
    with pq.ParquetWriter(tmp, schema) as writer:
        done = 0
        while done < rows:
            n = min(CHUNK, rows - done)
            chunk = base.take(pa.array(rng.integers(0, base.num_rows, n)))
            ids = pa.array(np.arange(done, done + n).astype(str)).cast(
                chunk.schema.field("ID").type
            )
            chunk = chunk.set_column(chunk.schema.get_field_index("ID"), "ID", ids)
            writer.write_table(chunk.replace_schema_metadata(meta))
            done += n
    tmp.replace(path)
    return path


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/crimetrends-scale")
    print(generate(n, out))
