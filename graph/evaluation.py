"""Measuring extracted claims against hand-annotated (gold) claims.

Matching follows the claims guide: precision and recall are counted on the set
of (doc, subject, predicate, object, polarity) tuples, COOPERATED_WITH in
either direction; said_by, certainty and when are scored separately, on the
tuples that match. Contested links are graph/links.py's, as everywhere else.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import InputError
from .links import contested_link_keys
from .model import PREDICATES, Claim, Document, Source

Tuple = tuple[str, str, str, str, str]


@dataclass
class Scores:
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def from_sets(cls, gold: set, predicted: set) -> "Scores":
        tp = len(gold & predicted)
        fp = len(predicted - gold)
        fn = len(gold - predicted)
        # An empty prediction is perfectly precise; an empty gold perfectly recalled.
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(tp, fp, fn, round(precision, 4), round(recall, 4), round(f1, 4))


@dataclass
class EvaluationReport:
    overall: Scores
    without_part_of: Scores
    denials: Scores
    per_predicate: dict[str, Scores]
    said_by_agreement: float
    certainty_agreement: float
    when_agreement: float
    contested_links_found: list[str]
    contested_links_expected: list[str]
    false_positives: list[tuple] = field(default_factory=list)
    false_negatives: list[tuple] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["false_positives"] = [list(t) for t in self.false_positives]
        data["false_negatives"] = [list(t) for t in self.false_negatives]
        return data


def claim_tuple(claim: Claim) -> Tuple:
    """The matching key of a claim: its document, its link (COOPERATED_WITH pairs put in one
    order) and its polarity."""
    return (claim.doc, *claim.link, claim.polarity)


def _normalize_when(value: str | None) -> str | None:
    if value is None:
        return None
    text = re.sub(r"[–—‐‑]", "-", value.strip().lower())
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text) or None


def _agreement(pairs: list[tuple]) -> float:
    if not pairs:
        return 1.0
    return round(sum(1 for gold, predicted in pairs if gold == predicted) / len(pairs), 4)


def evaluate(gold: list[Claim], predicted: list[Claim]) -> EvaluationReport:
    """Precision, recall and F1 of `predicted` against `gold`, with attribute agreement."""
    gold_index: dict[Tuple, list[Claim]] = defaultdict(list)
    predicted_index: dict[Tuple, list[Claim]] = defaultdict(list)
    for claim in gold:
        gold_index[claim_tuple(claim)].append(claim)
    for claim in predicted:
        predicted_index[claim_tuple(claim)].append(claim)
    gold_set, predicted_set = set(gold_index), set(predicted_index)

    def subset(keep) -> Scores:
        return Scores.from_sets({t for t in gold_set if keep(t)}, {t for t in predicted_set if keep(t)})

    per_predicate = {p: subset(lambda t, p=p: t[2] == p) for p in PREDICATES
                     if any(t[2] == p for t in gold_set | predicted_set)}

    # Attributes on matched tuples: a tuple may carry several gold claims (one per
    # speaker); the predicted claim agrees if it matches any of them.
    said_by, certainty, when = [], [], []
    for key in sorted(gold_set & predicted_set):
        golds = gold_index[key]
        for claim in predicted_index[key]:
            said_by.append((True, any(g.said_by == claim.said_by for g in golds)))
            same_speaker = [g for g in golds if g.said_by == claim.said_by] or golds
            certainty.append((True, any(g.certainty == claim.certainty for g in same_speaker)))
            when.append((True, any(_normalize_when(g.when) == _normalize_when(claim.when)
                                   for g in same_speaker)))

    return EvaluationReport(
        overall=subset(lambda t: True),
        without_part_of=subset(lambda t: t[2] != "PART_OF"),
        denials=subset(lambda t: t[4] == "denies"),
        per_predicate=per_predicate,
        said_by_agreement=_agreement(said_by),
        certainty_agreement=_agreement(certainty),
        when_agreement=_agreement(when),
        contested_links_found=sorted(contested_link_keys(predicted) & contested_link_keys(gold)),
        contested_links_expected=sorted(contested_link_keys(gold)),
        false_positives=sorted(predicted_set - gold_set),
        false_negatives=sorted(gold_set - predicted_set),
    )


def read_passages(path: Path) -> list[Document]:
    """Annotated passages (JSONL: id, text, and optionally source_title, publisher, date,
    source_url_or_repo_path): each a document named by its id, as the gold's `doc` names it."""
    documents = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not JSON ({exc.msg})", line=number) from None
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not isinstance(row.get("text"), str):
            raise InputError(path, "each line needs a string 'id' and 'text'", line=number)
        source = Source(title=row.get("source_title"), outlet=row.get("publisher"),
                        url=row.get("source_url_or_repo_path"), date=row.get("date"))
        documents.append(Document(name=row["id"], text=row["text"], source=source))
    return documents


__all__ = ["Scores", "EvaluationReport", "evaluate", "contested_link_keys", "claim_tuple", "read_passages"]
