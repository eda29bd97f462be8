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
    article: Annotated[Path, typer.Argument(help="text, Markdown or HTML file")],
    date: Annotated[str | None, typer.Option(help="article date YYYY-MM-DD")] = None,
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
        t = Table(title=f"Claims in {article.name}", title_justify="left", show_lines=True)
        for col in ("#", "claim", "verdict", "our figure", "reason"):
            t.add_column(col, overflow="fold")
        for i, v in enumerate(verdicts, 1):
            ours = "—" if v.our_value is None else f"{v.our_value:,.0f}"
            t.add_row(str(i), v.claim["text"], v.verdict, ours, v.reason)
        console.print(t)
        if explain:
            for line in chk.explain_lines(verdicts):
                console.print(line, markup=False, highlight=False)


@app.command("check-eval")
def check_eval(
    corpus: Annotated[Path, typer.Argument(help="folder of NAME.md + NAME.json")] = Path(
        "tests/claims_corpus"
    ),
    fmt: FormatOpt = Format.table,
) -> None:
    """Claim recall and verdict agreement on a corpus with hand-made expected verdicts."""
    from crimetrends.claims.check import evaluate

    result = evaluate(corpus)
    if emit(fmt, result["per_article"], result):
        return
    console.print(
        f"{result['articles']} articles, {result['expected_claims']} expected claims: "
        f"claim recall {result['claim_recall']:.0%}, verdict agreement "
        f"{result['verdict_agreement']:.0%}",
        highlight=False,
    )
    for err in result["errors"]:
        console.print(f"  • {err}", highlight=False, markup=False)
