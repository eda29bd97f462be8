"""models.html: saved forecasts, their scores against naive, hotspots and program impact.

Written only when results exist (the navigation links it only then). Every model has a
plain name; each forecast is a chart (history, forecast, 80% and 95% bands); its verdict
against the naive forecast is said in words, from the saved backtest when there is one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from crimetrends.publish.site import words
from crimetrends.publish.site.data import SiteData
from crimetrends.render import charts

if TYPE_CHECKING:
    from jinja2 import Environment

    from crimetrends.publish.privacy import PrivacyPolicy

PLAIN = {
    "naive": "same as last month",
    "seasonal_naive": "same month last year",
    "historical_average": "average of the last 12 months",
    "count_glm": "seasonal trend model",
    "poisson_ar": "seasonal model of recent months",
    "recent_kde": "recent hot areas (density of recent weeks)",
    "long_term_kde": "long-term hot areas (density of the past year)",
    "self_exciting": "near-repeat model (crime follows crime)",
    "its": "interrupted time series",
    "did": "difference in differences",
    "wdd": "weighted displacement difference",
    "synth": "synthetic control",
}
HISTORY_MONTHS = 36


def plain(model: str) -> str:
    return PLAIN.get(model, model.replace("_", " "))


def models_context(data: SiteData) -> dict[str, Any] | None:
    """None when no result is saved: the page is then not written and not linked. Saved
    results the page cannot draw are listed by file, so the page is never empty."""
    kinds: dict[str, list[tuple[str, dict[str, Any]]]] = {
        "forecast": [],
        "evaluate-monthly": [],
        "evaluate-maps": [],
        "hotspots": [],
        "impact": [],
    }
    for name, body in sorted(data.results.items()):
        kind = next((k for k in kinds if name.startswith(k + "-")), None)
        if kind:
            kinds[kind].append((name, body))
    scores = _scores(kinds["evaluate-monthly"])
    from crimetrends.render.caveats import MODEL_CAVEATS

    ctx = {
        "forecasts": [
            c for n, b in kinds["forecast"] for c in _forecast_charts(n, b, data, scores)
        ],
        "evaluations": [_evaluation(n, b) for n, b in kinds["evaluate-monthly"] if "summary" in b],
        "map_evaluations": [
            _map_evaluation(n, b) for n, b in kinds["evaluate-maps"] if "summary" in b
        ],
        "hotspots": [_hotspot(n, b, data) for n, b in kinds["hotspots"] if "summary" in b],
        "impact": [_impact(n, b) for n, b in kinds["impact"] if "estimates" in b],
    }
    drawn = ("evaluations", "map_evaluations", "hotspots", "impact")
    shown = {x["name"] for k in drawn for x in ctx[k]} | {f["file"] for f in ctx["forecasts"]}
    others = [n for n in sorted(data.results) if n not in shown and _published(n, data)]
    if not any(ctx.values()) and not others:
        return None
    return {**ctx, "others": others, "caveats": MODEL_CAVEATS}


def _published(name: str, data: SiteData) -> bool:
    """Whether `copy_results` publishes the file (hotspots only as the policy allows)."""
    body = data.results[name]
    return not name.startswith("hotspots-") or _public_hotspots(body, data.policy) is not None


def _scores(evaluations: list[tuple[str, dict[str, Any]]]) -> pd.DataFrame:
    rows = [r for _, body in evaluations for r in body.get("by_series", [])]
    return pd.DataFrame(rows)


def verdict(model: str, rel: float | None, n: int | None, where: str) -> str:
    """'Its errors were 12% smaller than naive's …: it beats naive.' (or not)."""
    if model == "naive":
        return "The baseline every model must beat."
    if rel is None:
        return "Not yet scored against naive (`crimetrends evaluate monthly` scores it)."
    diff = abs(1 - rel)
    if rel < 1:
        return (
            f"Its errors were {diff:.0%} smaller than naive's ('same as last month') "
            f"{where}: it beats naive."
        )
    return (
        f"Its errors were {diff:.0%} larger than naive's ('same as last month') {where}: "
        "it does not beat naive."
    )


def _forecast_charts(
    name: str, body: dict[str, Any], data: SiteData, scores: pd.DataFrame
) -> list[dict[str, Any]]:
    fc = pd.DataFrame(body.get("forecasts", []))
    if fc.empty:
        return []
    fc = fc[(fc["area_type"] == "city") & fc["mean"].notna()]
    out = []
    for (source, agency, offense), g in fc.groupby(["source", "agency", "offense"]):
        history = _history(data, agency, source, offense)
        out.append(_forecast_chart(name, len(out), g, history, scores))
    return out


def _history(data: SiteData, agency: str, source: str, offense: str) -> pd.DataFrame:
    from crimetrends.publish.tables import slug

    s = data.city("series", slug(agency))
    s = s[(s["source"] == source) & (s["offense"] == offense) & (s["grain"] == "month")]
    return s.dropna(subset=["count"]).sort_values("period").tail(HISTORY_MONTHS)


def _forecast_chart(
    name: str, index: int, g: pd.DataFrame, history: pd.DataFrame, scores: pd.DataFrame
) -> dict[str, Any]:
    agency, source, offense = g["agency"].iloc[0], g["source"].iloc[0], g["offense"].iloc[0]
    models = list(dict.fromkeys(g["model"]))
    verdicts = []
    for m in models:
        rel, n = _score(scores, source, agency, offense, m)
        where = f"on {n} held-out months" if n else ""
        verdicts.append(
            {"model": m, "name": plain(m), "text": verdict(m, rel, n, where), "rel": rel}
        )
    scored = [v for v in verdicts if v["rel"] is not None and v["model"] != "naive"]
    best = (
        min(scored, key=lambda v: v["rel"])["model"]
        if scored
        else ("count_glm" if "count_glm" in models else models[-1])
    )
    values = [{"t": r.period, "c": float(r.count)} for r in history.itertuples()]
    values += [
        {
            "t": str(r.period)[:10],
            "m": r.model,
            "mean": r.mean,
            "l80": r.lower80,
            "u80": r.upper80,
            "l95": r.lower95,
            "u95": r.upper95,
        }
        for r in g.itertuples()
    ]
    title = f"{agency}: {words.offense_name(offense).lower()} per month"
    description = (
        f"Line chart of {words.offense_name(offense).lower()} per month in {agency} "
        f"({words.source_name(source)}) for the last {len(history)} months, then the forecast "
        "of the model chosen below with its 80% and 95% prediction bands."
    )
    spec = charts.forecast_bands(values, title, description, best, {m: plain(m) for m in models})
    return {
        "id": f"forecast-{index}-{name}",
        "spec": spec,
        "title": title,
        "models": verdicts,
        "default": best,
        "source": words.source_name(source),
        "file": name,
        "last": history["period"].max()[:7] if len(history) else "",
        "overlap": _overlap(history, g),
    }


def _overlap(history: pd.DataFrame, g: pd.DataFrame) -> str:
    """Why the forecast starts inside the reported months, when it does: the model left out
    the publisher's provisional months (it forecasts them too)."""
    first = str(g["period"].min())[:7]
    later = history[history["period"].str[:7] >= first]
    if later.empty:
        return ""
    months = ", ".join(words.month_label(p) for p in later["period"])
    provisional = "provisional" in later and bool(later["provisional"].astype(bool).all())
    why = "are provisional" if provisional else "were left out of the fit"
    return (
        f"The forecast starts at {words.month_label(first + '-01')}: the latest reported "
        f"months ({months}) {why}, so the model was fitted on the months before them and "
        "forecasts them as well."
    )


def _score(scores: pd.DataFrame, source: str, agency: str, offense: str, model: str) -> tuple:
    if scores.empty:
        return None, None
    hit = scores[
        (scores["source"] == source)
        & (scores["agency"] == agency)
        & (scores["offense"] == offense)
        & (scores["model"] == model)
        & (scores["area_type"] == "city")
    ]
    if hit.empty or pd.isna(hit["relative_mae_vs_naive"].iloc[0]):
        return None, None
    return float(hit["relative_mae_vs_naive"].iloc[0]), int(hit["forecasts"].iloc[0])


def _evaluation(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """One chart per offense: each model's error relative to naive (below 1 beats it)."""
    summary = pd.DataFrame(body["summary"])
    setup = body.get("setup", {})
    out = []
    for offense, g in summary.groupby("offense", sort=False):
        rows = [
            {
                "model": plain(r.model),
                "value": float(r.relative_mae_vs_naive),
                "better": bool(r.relative_mae_vs_naive < 1),
            }
            for r in g.itertuples()
        ]
        title = f"{words.offense_name(offense)}: error relative to naive"
        description = (
            f"Bar chart of each model's mean absolute error divided by naive's, "
            f"{words.offense_name(offense).lower()}; below 1 beats naive. "
            + "; ".join(f"{r['model']}: {r['value']:.2f}" for r in rows)
        )
        spec = charts.model_bars(
            rows, "error ÷ naive's error (1 = as good as naive)", title, description, ".2f", 1.0
        )
        lines = [f"{plain(r.model)}: {r.verdict}" for r in g.itertuples()]
        out.append({"id": f"eval-{name}-{offense}", "spec": spec, "verdicts": lines})
    return {"name": name, "setup": setup, "charts": out}


def _map_evaluation(name: str, body: dict[str, Any]) -> dict[str, Any]:
    summary = pd.DataFrame(body["summary"])
    setup = body.get("setup", {})
    out = []
    for share, g in summary.groupby("area_share"):
        naive = g.loc[g["model"] == "naive", "hit_rate"]
        base = float(naive.iloc[0]) if len(naive) else None
        rows = [
            {
                "model": plain(r.model),
                "value": float(r.hit_rate),
                "better": base is not None and r.model != "naive" and r.hit_rate > base,
            }
            for r in g.itertuples()
        ]
        title = f"Share of crimes in the top {share:.0%} of cells flagged"
        description = (
            f"Bar chart of the hit rate of each map model when {share:.0%} of the "
            "city is flagged. " + "; ".join(f"{r['model']}: {r['value']:.0%}" for r in rows)
        )
        spec = charts.model_bars(rows, "hit rate", title, description, ".0%", base)
        lines = [f"{plain(r.model)}: {r.verdict}" for r in g.itertuples() if r.model != "naive"]
        out.append({"id": f"mapeval-{name}-{int(share * 1000)}", "spec": spec, "verdicts": lines})
    return {"name": name, "setup": setup, "charts": out}


def _hotspot(name: str, body: dict[str, Any], data: SiteData) -> dict[str, Any]:
    """The summary, and the city page whose map shows its cells (same source and grid)."""
    s = body["summary"]
    areas = data.tables["areas"]
    mine = areas[areas["source"] == s.get("source")] if len(areas) else areas
    shown = len(mine) and float(s.get("cell_m", 0)) >= data.policy.cell_m
    return {"name": name, "summary": s, "agency_slug": mine["slug"].iloc[0] if shown else None}


def _impact_row(e: dict[str, Any]) -> dict[str, Any]:
    interval = words.interval_text(e.get("ci_low"), e.get("ci_high"))
    return {
        "y": plain(e["method"]),
        "group": words.offense_name(e["outcome"]),
        "pct": round(float(e["effect_pct"]), 2),
        "lo": e.get("ci_low"),
        "hi": e.get("ci_high"),
        "text": f"{words.pct_text(e['effect_pct'])} (95% CI {interval})",
        "text_short": words.pct_text(e["effect_pct"]),
        "label": e.get("label", ""),
    }


def _impact(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """One program: its estimates by method as a dot chart with 95% intervals."""
    ini = body["initiative"]
    est = [e for e in body["estimates"] if words.finite(e.get("effect_pct"))]
    rows = [_impact_row(e) for e in est]
    groups = tuple(dict.fromkeys(r["group"] for r in rows))
    title = f"Estimated effect from {ini['start']}, with 95% interval"
    description = (
        f"Dot chart of the estimated effect of {ini['title']} by method, each with its 95% "
        "interval and a dashed line at zero. "
        + " ".join(f"{r['y']}, {r['group']}: {r['text']}, {r['label']}." for r in rows)
    )
    spec = charts.interval_chart(rows, title, description, "% effect", groups) if rows else None
    return {
        "name": name,
        "initiative": ini,
        "headline": body.get("headline", ""),
        "estimates": est,
        "spec": spec,
        "id": f"impact-{name}",
        "verdicts": [f"{plain(e['method'])}, {e['outcome']}: {e.get('verdict', '')}" for e in est],
    }


def render_page(
    env: Environment, out: Path, common: dict[str, Any], data: SiteData | None = None
) -> bool:
    """models.html from the saved results; True when there were any to show (else the page
    is not written, and one left by an earlier build into `out` is removed).

    Without `data` the page is built from the results alone: forecasts then have no history
    drawn before them (for callers that render this page on its own).
    """
    from crimetrends.publish.privacy import PrivacyPolicy
    from crimetrends.publish.site.data import _results

    if data is None:
        empty = pd.DataFrame(columns=["slug", "source", "offense", "grain", "period", "count"])
        data = SiteData(
            {"areas": empty.iloc[0:0]}, {}, PrivacyPolicy.from_settings(), empty, empty, _results()
        )
    out.mkdir(parents=True, exist_ok=True)
    copy_results(out, data)
    view = models_context(data)
    if view is None:
        (out / "models.html").unlink(missing_ok=True)
        return False
    html = env.get_template("models.html").render(
        **{"root": "", **common, "has_models": True, "title": "Forecasts", **view}
    )
    (out / "models.html").write_text(html, encoding="utf-8")
    return True


def copy_results(out: Path, data: SiteData) -> None:
    """Result files as the site links them; hotspot results only as the privacy policy
    allows (public grid size or coarser, cells at min_count, count and class only)."""
    import shutil

    from crimetrends.render.records import to_json

    folder = out / "data" / "results"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, body in data.results.items():
        if name.startswith("hotspots-"):
            body = _public_hotspots(body, data.policy)
            if body is None:
                continue
        (folder / f"{name}.json").write_text(to_json(body), encoding="utf-8")


def _public_hotspots(body: dict[str, Any], policy: PrivacyPolicy) -> dict[str, Any] | None:
    s = body.get("summary", {})
    if float(s.get("cell_m", 0)) < policy.cell_m:
        return None
    cells = [
        {k: c.get(k) for k in ("cell", "lat", "lon", "count", "class")}
        for c in body.get("cells", [])
        if c.get("count") is not None and c["count"] >= policy.min_count
    ]
    return {**body, "cells": cells}
