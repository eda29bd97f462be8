"""Checking published claims: check, check-eval."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crimetrends.cli.application import app
from crimetrends.cli.options import Format, FormatOpt, _remember_format
from crimetrends.cli.output import console, emit


class CheckFormat(StrEnum):
    table = "table"
    md = "md"
    json = "json"
    html = "html"


@app.command()
def check(
    article: Annotated[Path, typer.Argument(help="text, Markdown or HTML file; - for stdin")],
    date: Annotated[str | None, typer.Option(help="publication date YYYY-MM-DD")] = None,
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", callback=_remember_format)
    ] = CheckFormat.table,
    explain: Annotated[bool, typer.Option(help="show how each claim was read")] = False,
) -> None:
    """Find each quantitative crime claim in a story, recompute it, give a verdict."""
    from rich.table import Table

    from crimetrends.claims import check as chk
    from crimetrends.claims.check import parse_date, read_article

    text = read_article(article)
    verdicts = chk.check_text(text, parse_date(date))
    if fmt is CheckFormat.json:
        sys.stdout.write(chk.to_json(verdicts) + "\n")
    elif fmt is CheckFormat.md:
        sys.stdout.write(chk.to_markdown(verdicts, explain))
    elif fmt is CheckFormat.html:
        sys.stdout.write(chk.to_html(text, verdicts))
    else:
        name = "standard input" if str(article) == "-" else article.name
        t = Table(title=f"Claims in {name}", title_justify="left", show_lines=True)
        for col in ("#", "claim", "verdict", "our figure", "reason"):
            t.add_column(col, overflow="fold")
        for i, v in enumerate(verdicts, 1):
            t.add_row(
                str(i), v.claim["fragment"] or v.claim["text"], v.verdict, chk._ours(v), v.reason
            )
        console.print(t)
        if explain:
            for line in chk.explain_lines(verdicts):
                console.print(line, markup=False, highlight=False)


def _line(name: str, s: dict) -> str:
    return (
        f"{name}: {s['labels']} labelled claims, claim recall {s['claim_recall']:.1%} "
        f"({s['found']}), verdict agreement {s['verdict_agreement']:.1%} ({s['agreed']}), "
        f"true claims called inconsistent {s['true_called_inconsistent']}, false claims "
        f"called consistent {s['false_called_consistent']}"
    )


@app.command("check-eval")
def check_eval(
    corpus: Annotated[
        Path | None, typer.Argument(help="folder of written examples NAME.md + NAME.json")
    ] = None,
    real: Annotated[
        Path | None, typer.Option(help="real labelled corpus (default ../shared/data/claims_real)")
    ] = None,
    split: Annotated[Path, typer.Option(help="the frozen test split")] = Path(
        "tests/claims_real/split.toml"
    ),
    only: Annotated[
        str | None, typer.Option(help="score one split of the real corpus: dev or test")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Claim recall and verdict agreement: real corpus (dev and frozen test split apart) and
    the written examples. Every development miss is listed; test misses only as counts."""
    from crimetrends.claims.evaluate import evaluate_real, evaluate_written, shared_claims_dir

    written = evaluate_written(corpus or Path("tests/claims_corpus"))
    folder = real or shared_claims_dir(Path.cwd())
    result: dict = {"written": written}
    if folder.is_dir() and any(folder.glob("*.json")) and split.is_file():
        if only not in (None, "dev", "test"):
            raise typer.BadParameter("--only takes dev or test")
        result["real"] = evaluate_real(folder, split, only)
    else:
        result["real"] = {"skipped": f"no labelled pages in {folder}, or no {split}"}
    if emit(fmt, written["per_article"], result):
        return
    _print_real(result["real"])
    console.print(
        f"written examples: {written['articles']} articles, {written['expected_claims']} "
        f"claims: recall {written['claim_recall']:.0%}, agreement "
        f"{written['verdict_agreement']:.0%}",
        highlight=False,
    )
    for err in written["errors"]:
        console.print(f"  • {err}", highlight=False, markup=False)


def _print_real(r: dict) -> None:
    if "skipped" in r:
        console.print(f"real corpus: skipped ({r['skipped']})", highlight=False)
    else:
        for name in ("dev", "test"):
            if name not in r:
                continue
            console.print(
                _line(f"real {name} ({r['pages'][name]} pages)", r[name]), highlight=False
            )
        if "dev" in r:
            console.print("development misses:", highlight=False)
        for m in r.get("dev", {}).get("misses", []):
            got = f" got {m['got']!r}: {m['reason']}" if m["miss"] == "verdict" else ""
            console.print(
                f"  • {m['page']} {m['id']} ({m['miss']}; expected {m['expected']})"
                f"{got} — {m['quote'][:100]}",
                highlight=False,
                markup=False,
            )
        if "test" in r:
            console.print("test split misses, by category only (never tuned on):", highlight=False)
        for k, n in sorted(r.get("test", {}).get("miss_categories", {}).items()):
            console.print(f"  • {k}: {n}", highlight=False, markup=False)
