"""Claim recall and verdict agreement: on the real labelled corpus and on written examples.

The real corpus (`../shared/data/claims_real/`, read at run time, never copied) has, per page,
the title and the labelled claims in page order, each with its quoted sentence or table row.
A page's *article* is rebuilt from them: the headline, then each quote as a paragraph (table
rows, "a | b | c" or "2025: 416", as consecutive rows of one table); a quote marked
"(same sentence)" / "(same row)" is a part of the quote before it, and a repeated quote is the
same sentence again. The page's `date` is the publication date.

Matching rule (documented in the README): a labelled claim is *found* when the checker
extracted, from the same sentence or row (spans overlap), a claim carrying one of the numbers
the label states (`stated_values`, `stated_pct`: counts, percentages, rates; sign ignored);
a label that states no number (a direction, superlative, rank, comparison) is found by a claim
of the same sentence that carries no number of its own, of the same kind when there is one.
Each extracted claim serves one label, and each stated number one claim. When a label's numbers
are carried by several claims of its sentence (a table row "Jan | 17 | 9 | -47%" is three cell
claims), its verdict is the most severe of theirs (inconsistent > definitional mismatch > not
checkable > consistent).
A verdict *agrees* when it is the label's verdict or one of its "acceptable" ones.

The frozen test split (`tests/claims_real/split.toml`) is scored like the development pages,
but its misses are reported only as counts by category, never one by one: so that no rule is
tuned on them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crimetrends.claims.verify import (
    CONSISTENT,
    INCONSISTENT,
    MISMATCH,
    NOT_CHECKABLE,
    SEVERITY,
    Verdict,
)

VERDICTS = (CONSISTENT, INCONSISTENT, MISMATCH, NOT_CHECKABLE)
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
WORD_NUMBERS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "half": 50}
SUPERLATIVE = re.compile(
    r"(lowest|highest|fewest|most|record|deadliest|largest|greatest|worst|biggest|second|"
    r"high|low|since|ever|history|top)\b.*",
    re.I,
)


SPANS = re.compile(
    r"\b\d+\s*[- ]?\s*(?:yrs?|years?|decades?)\b|\bsince (?:the )?\d{4}s?|\b\d+ consecutive"
    r"|\b(?:19|20)\d\d\b|\b\d(?:st|nd|rd|th)\b",
    re.I,
)


def shared_claims_dir(root: Path | None = None) -> Path:
    """../shared/data/claims_real beside the checkout."""
    root = root or Path(__file__).resolve().parents[3]
    return root.parent / "shared" / "data" / "claims_real"


def split_names(path: Path) -> set[str]:
    return set(tomllib.loads(path.read_text())["test"])


@dataclass
class Label:
    page: str
    id: str
    quote: str
    expected: str
    acceptable: set[str]
    numbers: list[float]
    kind: str  # numeric | direction | superlative | other
    start: int = 0
    end: int = 0
    raw: dict[str, Any] = field(default_factory=dict)


def parse_expected(text: str) -> tuple[str, set[str]]:
    """'consistent (borderline; acceptable: inconsistent)' → ('consistent', {'inconsistent'})."""
    low = text.lower()
    primary = next((v for v in sorted(VERDICTS, key=len, reverse=True) if low.startswith(v)), low)
    acc = set()
    m = re.search(r"acceptable:\s*([^)]*)", low)
    if m:
        for part in re.split(r",| or ", m.group(1)):
            part = part.strip()
            for v in VERDICTS:
                if part.startswith(v):
                    acc.add(v)
    return primary, acc


def label_numbers(values: str, pct: str) -> tuple[str, list[float]]:
    """The numbers a label states, and its kind when it states none."""
    nums: list[float] = []
    for text in (pct, values):
        if not text or text.strip() in ("—", "-"):
            continue
        body = text
        if text is values:
            if text.lower().startswith("direction"):
                continue
            body = SPANS.sub(" ", body)  # "15-year high", "lowest in 60 yrs", "4 consecutive"
            body = SUPERLATIVE.sub("", body)
        if "double-digit" in text.lower():
            nums.append(10.0)
        nums += [float(n.replace(",", "")) for n in NUMBER.findall(body)]
        nums += [float(v) for w, v in WORD_NUMBERS.items() if re.search(rf"\b{w}\b", body, re.I)]
    if nums:
        return "numeric", nums
    low = (values or "").lower()
    if low.startswith("direction"):
        return "direction", []
    if SUPERLATIVE.search(low):
        return "superlative", []
    return "other", []


# -- building a page's article ---------------------------------------------------------------


def headline_of(title: str) -> str | None:
    """The headline inside the corpus' title note ('… from the slug: "Chicago homicides …"')."""
    m = re.search(r"[\"“]([^\"”]{8,})[\"”]", title or "")
    if m:
        return m.group(1).rstrip("…").strip()
    if title and not re.search(r"not shown|no slug", title):
        return title.strip()
    return None


def _clean(quote: str) -> tuple[str, bool]:
    q = quote.replace("\\|", "|").replace("⏎", " ")
    part = bool(re.match(r"\s*\((same sentence|same row)\)", q))
    q = re.sub(r"^\s*\((same sentence|same row)\)\s*", "", q)
    q = q.replace('" (headline)', "").replace("” (headline)", "")
    q = q.strip().strip('"“”').strip("…").strip()
    return q, part


def _is_row(q: str) -> bool:
    return "|" in q or bool(re.fullmatch(r"(19|20)\d\d:\s*[\d,]+", q))


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def page_article(page: dict[str, Any], name: str) -> tuple[str, list[Label]]:
    """The article text for a page and its labels with their spans in it."""
    text = ""
    head = headline_of(page.get("title", ""))
    head_span = (0, 0)
    if head:
        text = f"# {head}\n\n"
        head_span = (2, 2 + len(head))
    labels: list[Label] = []
    last: tuple[int, int] | None = None
    last_quote = ""
    in_table = False
    for c in page["claims"]:
        q, part = _clean(c["quote"])
        expected, acc = parse_expected(c["expected"])
        kind, nums = label_numbers(c.get("stated_values", ""), c.get("stated_pct", ""))
        lab = Label(name, c["id"], q, expected, acc, nums, kind, raw=c)
        if head and _norm(q) and (_norm(q) in _norm(head) or _norm(head) in _norm(q)):
            lab.start, lab.end = head_span
        elif part and last is not None:
            at = text.find(q[:40], last[0]) if q else -1
            lab.start, lab.end = (at, at + len(q)) if 0 <= at < last[1] else last
        elif q == last_quote and last is not None:
            lab.start, lab.end = last
        else:
            row = _is_row(q)
            if row:
                line = q.rstrip("|").strip()
                text += ("" if in_table else "\n") if text else ""
                start = len(text)
                text += line + "\n"
            else:
                text += "\n" if in_table else ""
                start = len(text)
                text += q + "\n\n"
            in_table = row
            lab.start, lab.end = start, start + len(q)
            last, last_quote = (lab.start, lab.end), q
        labels.append(lab)
    return text, labels


# -- matching --------------------------------------------------------------------------------


def _claim_numbers(v: Verdict) -> list[float]:
    c = v.claim
    out = [abs(x) for x in c.get("numbers") or []]
    for k in ("value", "previous_value", "pct_change"):
        if c.get(k) is not None:
            out.append(abs(c[k]))
    return out


def _overlaps(v: Verdict, lab: Label) -> bool:
    a, b = v.claim["span"]
    return a < lab.end and lab.start < b


def match(verdicts: list[Verdict], labels: list[Label]) -> dict[str, list[int]]:
    """Label id → indices of the verdicts it is matched to (empty: not found)."""
    used: set[int] = set()
    out: dict[str, list[int]] = {}
    for lab in sorted(labels, key=lambda x: x.kind != "numeric"):
        cands = [i for i, v in enumerate(verdicts) if i not in used and _overlaps(v, lab)]
        if lab.kind == "numeric":
            hit = []
            for n in dict.fromkeys(lab.numbers):  # each stated number: one claim at most
                if any(abs(n - x) < 1e-6 for h in hit for x in _claim_numbers(verdicts[h])):
                    continue  # a range "20 to 28%" is one claim carrying both numbers
                k = next(
                    (
                        i
                        for i in cands
                        if i not in hit
                        and any(abs(n - x) < 1e-6 for x in _claim_numbers(verdicts[i]))
                    ),
                    None,
                )
                if k is not None:
                    hit.append(k)
        else:
            plain = [i for i in cands if not verdicts[i].claim.get("numbers")]
            same = [i for i in plain if _kind_of(verdicts[i]) == lab.kind]
            hit = (same or plain)[:1]
        used.update(hit)
        out[lab.id] = hit
    return out


def _kind_of(v: Verdict) -> str:
    k = v.claim["kind"]
    return {"superlative": "superlative", "rank": "superlative", "direction": "direction"}.get(
        k, "other"
    )


# -- scoring ---------------------------------------------------------------------------------


@dataclass
class Score:
    labels: int = 0
    found: int = 0
    agreed: int = 0
    true_called_inconsistent: int = 0
    false_called_consistent: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    categories: Counter = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.found / self.labels if self.labels else 0.0

    @property
    def agreement(self) -> float:
        return self.agreed / self.found if self.found else 0.0

    def to_dict(self, detail: bool) -> dict[str, Any]:
        d = {
            "labels": self.labels,
            "found": self.found,
            "agreed": self.agreed,
            "claim_recall": round(self.recall, 4),
            "verdict_agreement": round(self.agreement, 4),
            "true_called_inconsistent": self.true_called_inconsistent,
            "false_called_consistent": self.false_called_consistent,
            "miss_categories": dict(self.categories),
        }
        if detail:
            d["misses"] = self.misses
        return d


def score_page(name: str, page: dict[str, Any], score: Score) -> None:
    from crimetrends.claims.check import check_text

    text, labels = page_article(page, name)
    date = dt.date.fromisoformat(page["date"]) if page.get("date") else None
    verdicts = check_text(text, date, url=page.get("url"))
    hits = match(verdicts, labels)
    for lab in labels:
        score.labels += 1
        idx = hits.get(lab.id, [])
        if not idx:
            score.categories[f"not found ({lab.kind})"] += 1
            score.misses.append(
                {
                    "page": name,
                    "id": lab.id,
                    "miss": "not found",
                    "quote": lab.quote[:160],
                    "expected": lab.raw["expected"],
                }
            )
            continue
        score.found += 1
        got = max((verdicts[i] for i in idx), key=lambda v: SEVERITY[v.verdict])
        ok = got.verdict == lab.expected or got.verdict in lab.acceptable
        score.agreed += ok
        if got.verdict == INCONSISTENT and lab.expected == CONSISTENT and not ok:
            score.true_called_inconsistent += 1
        if got.verdict == CONSISTENT and lab.expected == INCONSISTENT and not ok:
            score.false_called_consistent += 1
        if not ok:
            score.categories[f"{lab.expected} called {got.verdict}"] += 1
            score.misses.append(
                {
                    "page": name,
                    "id": lab.id,
                    "miss": "verdict",
                    "quote": lab.quote[:160],
                    "expected": lab.raw["expected"],
                    "expected_reason": lab.raw.get("reason", "")[:200],
                    "got": got.verdict,
                    "reason": got.reason[:300],
                }
            )


def evaluate_real(folder: Path, split_file: Path, only: str | None = None) -> dict[str, Any]:
    """Both splits of the real corpus: figures for each, every dev miss, test misses counted.
    `only="dev"` scores the development pages alone (the frozen pages are not even run)."""
    test = split_names(split_file)
    scores = {k: Score() for k in ("dev", "test") if only in (None, k)}
    for path in sorted(folder.glob("*.json")):
        which = "test" if path.stem in test else "dev"
        if which in scores:
            score_page(path.stem, json.loads(path.read_text()), scores[which])
    out: dict[str, Any] = {
        "corpus": str(folder),
        "pages": {
            k: sum(1 for p in folder.glob("*.json") if (p.stem in test) == (k == "test"))
            for k in scores
        },
    }
    for k, score in scores.items():
        out[k] = score.to_dict(detail=k == "dev")
    return out


# -- the written examples ------------------------------------------------------------------


def evaluate_written(corpus: Path) -> dict[str, Any]:
    """Claim recall and verdict agreement on examples written for the tests (NAME.md/.json):
    an expected claim is found by an extracted claim carrying its number (any sentence)."""
    from crimetrends.claims.check import check_file

    expected_total = matched = agreed = 0
    errors: list[str] = []
    per_article = []
    for meta_path in sorted(corpus.glob("*.json")):
        meta = json.loads(meta_path.read_text())
        article = meta_path.parent / meta.get("file", meta_path.with_suffix(".md").name)
        date = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
        verdicts = check_file(article, date)
        used: set[int] = set()
        hits = agree = 0
        for exp in meta["claims"]:
            expected_total += 1
            nums = [abs(exp[k]) for k in ("value", "pct_change") if exp.get(k) is not None]
            idx = next(
                (
                    i
                    for i, v in enumerate(verdicts)
                    if i not in used
                    and any(abs(n - x) < 1e-6 for n in nums for x in _claim_numbers(v))
                ),
                None,
            )
            if idx is None:
                errors.append(f"{article.name}: missed {exp}")
                continue
            used.add(idx)
            hits += 1
            if verdicts[idx].verdict == exp["verdict"]:
                agree += 1
            else:
                errors.append(
                    f"{article.name}: {exp} got {verdicts[idx].verdict!r}: {verdicts[idx].reason}"
                )
        matched += hits
        agreed += agree
        per_article.append(
            {
                "article": article.name,
                "expected": len(meta["claims"]),
                "found": hits,
                "agreed": agree,
                "extracted": len(verdicts),
            }
        )
    return {
        "articles": len(per_article),
        "expected_claims": expected_total,
        "claim_recall": matched / expected_total if expected_total else 0.0,
        "verdict_agreement": agreed / matched if matched else 0.0,
        "per_article": per_article,
        "errors": errors,
    }
