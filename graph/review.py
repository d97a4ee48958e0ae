"""The analyst's word on claims: review decisions that every load applies.

Decisions live in `review.jsonl` in the corpus folder, one JSON object a line, sorted
by claim, so the file reads well in git:

    {"claim": "<id>", "decision": "reject", "reason": "a headline", "by": "ana", "at": "2026-11-30T20:00:00Z",
     "was": "iran TRAINED al-qaeda (affirms, author) in 001.txt"}

The key is the claim's id (Claim.id), a hash of its document's content and of what it
says: reloading the same document gives the same ids, and a changed document gives new
ones, so a decision whose claim is gone is reported as orphaned, never dropped.

- confirm: the claim is marked `confirmed`;
- reject: marked `rejected`, kept for audit, no longer counted (links, contested, tension);
- correct: the claim is marked `replaced` (kept, not counted) and a corrected copy, with
  origin `review:<folder>` and review `corrected`, counts in its place. `set` holds the
  corrected fields (subject, object, predicate, polarity, said_by, certainty, when).
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from .errors import InputError
from .model import AUTHOR, CERTAINTIES, POLARITIES, PREDICATES, Claim

FILE_NAME = "review.jsonl"
DECISIONS = {"confirm": "confirmed", "reject": "rejected", "correct": "replaced"}
CORRECTABLE = ("subject", "object", "predicate", "polarity", "said_by", "certainty", "when")


@dataclass
class Decision:
    claim: str
    decision: str  # confirm, reject or correct
    reason: str | None = None
    by: str | None = None
    at: str | None = None
    set: dict = field(default_factory=dict)
    was: str | None = None  # what the claim said when decided: for reading the file, and orphans

    def to_dict(self) -> dict:
        data = {"claim": self.claim, "decision": self.decision, "reason": self.reason, "set": self.set or None,
                "by": self.by, "at": self.at, "was": self.was}
        return {key: value for key, value in data.items() if value is not None}

    @property
    def note(self) -> str:
        """Who decided, when and why, as the stored claim carries it."""
        who = " ".join(part for part in (self.by, self.at) if part)
        return f"{self.decision} by {who or 'unknown'}" + (f": {self.reason}" if self.reason else "")


def check(decision: Decision, where="the decision", line=None) -> Decision:
    if decision.decision not in DECISIONS:
        raise InputError(where, f"decision '{decision.decision}' is not one of {', '.join(DECISIONS)}", line)
    unknown = set(decision.set) - set(CORRECTABLE)
    if unknown:
        raise InputError(where, f"cannot correct {', '.join(sorted(unknown))}: only {', '.join(CORRECTABLE)}", line)
    if decision.decision == "correct" and not decision.set:
        raise InputError(where, "a correction says what to set (predicate=..., polarity=..., ...)", line)
    allowed = {"predicate": PREDICATES, "polarity": POLARITIES, "certainty": CERTAINTIES}
    for key, values in allowed.items():
        if key in decision.set and decision.set[key] not in values:
            raise InputError(where, f"{key} '{decision.set[key]}' is not one of {', '.join(values)}", line)
    return decision


def read_decisions(path: Path) -> dict[str, Decision]:
    """The decisions of one file, by claim id (a later line for the same claim wins)."""
    path = Path(path)
    if not path.exists():
        return {}
    decisions = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            decision = Decision(**record)
        except (json.JSONDecodeError, TypeError) as exc:
            raise InputError(path, f"not a decision ({exc})", number) from None
        decisions[decision.claim] = check(decision, path, number)
    return decisions


def write_decisions(path: Path, decisions: dict[str, Decision]):
    """The file rewritten whole, one decision a line sorted by claim, then renamed into place."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        for key in sorted(decisions):
            stream.write(json.dumps(decisions[key].to_dict(), ensure_ascii=False, sort_keys=False) + "\n")
    os.replace(temporary, path)


def record(path: Path, decision: Decision) -> dict[str, Decision]:
    """Add or replace one decision in the file; returns them all."""
    decisions = read_decisions(path)
    decision.at = decision.at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    decision.by = decision.by or os.environ.get("GRAPHCTL_REVIEWER") or os.environ.get("USER") or "unknown"
    decisions[decision.claim] = check(decision)
    write_decisions(path, decisions)
    return decisions


def describe(claim: dict | Claim) -> str:
    get = (lambda k: getattr(claim, k)) if isinstance(claim, Claim) else claim.get
    return f"{get('subject')} {get('predicate')} {get('object')} ({get('polarity')}, {get('said_by')}) in {get('doc')}"


# -- applying decisions to a store ----------------------------------------------------

_FIELDS = ("id", "doc", "doc_id", "subject", "predicate", "object", "polarity", "said_by", "certainty", "time",
           "quote", "start_char", "end_char", "extractor", "rule", "confidence", "origin", "note", "review",
           "review_note", "source", "link_key")
_RETURN = ", ".join(f"c.{name} AS {name}" for name in _FIELDS)
_CLAIMS_BY_ID = f"UNWIND $ids AS i MATCH (c:Claim {{id: i}}) RETURN {_RETURN}"
# The claims this folder's decisions marked (their note starts with the folder's origin).
_REVIEWED = f"MATCH (c:Claim) WHERE c.review IS NOT NULL AND c.review_note STARTS WITH $tag RETURN {_RETURN}"
_ACTORS = "MATCH (a:Actor) RETURN a.id"
_SET_REVIEW = """
UNWIND $rows AS r
MATCH (c:Claim {id: r.id})
SET c.review = r.review, c.review_note = r.note
RETURN c.link_key
"""


@dataclass
class Applied:
    decisions: int = 0
    applied: dict[str, int] = field(default_factory=dict)  # decision kind -> claims it applies to
    orphaned: list[Decision] = field(default_factory=list)  # their claim is no longer stored
    refused: list[Decision] = field(default_factory=list)   # corrections naming actors the store lacks

    def to_dict(self) -> dict:
        return {"decisions": self.decisions, "applied": self.applied,
                "orphaned": [d.to_dict() for d in self.orphaned], "refused": [d.to_dict() for d in self.refused]}


def origin_of(folder: Path) -> str:
    return f"review:{Path(folder).resolve().name}"


def decision_files(paths) -> list[Path]:
    return [Path(p) / FILE_NAME for p in paths if Path(p).is_dir() and (Path(p) / FILE_NAME).exists()]


def apply(store, decisions: dict[str, Decision], origin: str) -> Applied:
    """Mark the stored claims as one folder's decisions say (clearing marks the folder's
    decisions no longer make), replace corrected claims by their corrections and recount the
    links they touch; returns what was applied, and the decisions orphaned or refused.
    `origin` (origin_of(folder)) tags the folder's corrections and its notes."""
    found = {}
    ids = sorted(decisions)
    for start in range(0, len(ids), 5000):
        for row in store.query(_CLAIMS_BY_ID, {"ids": ids[start:start + 5000]}).records():
            if not row["origin"].startswith("review:"):
                found[row["id"]] = row
    report = Applied(decisions=len(decisions))
    actors = {row[0] for row in store.query(_ACTORS).rows}
    desired, corrections = {}, []
    for key, decision in sorted(decisions.items()):
        row = found.get(key)
        if row is None:
            report.orphaned.append(decision)
            continue
        if unknown_actors(decision, actors):
            report.refused.append(decision)
            continue
        report.applied[decision.decision] = report.applied.get(decision.decision, 0) + 1
        desired[key] = (DECISIONS[decision.decision], f"{origin}: {decision.note}")
        if decision.decision == "correct":
            corrections.append(corrected(row, decision, origin))
    store.replace_claim_set(origin, corrections)
    for claim in corrections:
        desired[claim.id] = (claim.review, claim.review_note)
    reviewed = {row["id"]: row for row in store.query(_REVIEWED, {"tag": f"{origin}: "}).records()}
    current = {**{key: (row["review"], row["review_note"]) for key, row in reviewed.items()},
               **{key: (row["review"], row["review_note"]) for key, row in found.items()}}
    rows = [{"id": key, "review": state[0], "note": state[1]} for key, state in desired.items()
            if current.get(key) != state]
    rows += [{"id": key, "review": None, "note": None} for key in reviewed if key not in desired]
    if rows:
        with store.backend.transaction():
            touched = set()
            for start in range(0, len(rows), 5000):
                touched.update(r[0] for r in store.query(_SET_REVIEW, {"rows": rows[start:start + 5000]},
                                                         write=True).rows)
            store.refresh_links(touched)
    return report


def unknown_actors(decision: Decision, actors: set[str]) -> list[str]:
    """The actor ids a correction names that the store lacks ("author" is a speaker, not an actor)."""
    named = {key: value for key, value in decision.set.items() if key in ("subject", "object", "said_by")}
    return [value for key, value in named.items() if value not in actors and not (key == "said_by" and value == AUTHOR)]


def corrected(row: dict, decision: Decision, origin: str) -> Claim:
    """The stored claim `row` as the decision corrects it."""
    original = Claim(
        doc=row["doc"], subject=row["subject"], predicate=row["predicate"], object=row["object"],
        polarity=row["polarity"], said_by=row["said_by"], certainty=row["certainty"], when=row["time"],
        evidence=(row["quote"] or "").split(" … ") if row["quote"] else [], doc_id=row["doc_id"],
        start=row["start_char"], end=row["end_char"], extractor=row["extractor"] or "curated", rule=row["rule"],
        confidence=row["confidence"] if row["confidence"] is not None else 1.0, note=row["note"],
        source=row["source"])
    return replace(original, **decision.set, origin=origin, review="corrected",
                   review_note=f"{origin}: {decision.note}; was {describe(original)} [{row['id']}]")


def apply_folders(store, paths) -> Applied:
    """The decisions of every folder loaded, each applied with its own origin."""
    total = Applied()
    for path in decision_files(paths):
        applied = apply(store, read_decisions(path), origin_of(path.parent))
        total.decisions += applied.decisions
        for kind, n in applied.applied.items():
            total.applied[kind] = total.applied.get(kind, 0) + n
        total.orphaned += applied.orphaned
        total.refused += applied.refused
    return total


# -- what to review --------------------------------------------------------------------

_CANDIDATES = f"""
MATCH (c:Claim)
WHERE ($doc = '' OR c.doc = $doc)
  AND ($a = '' OR (c.subject = $a AND c.object = $b) OR (c.subject = $b AND c.object = $a))
  AND NOT c.origin STARTS WITH 'review:'
OPTIONAL MATCH (c)-[:IN_DOCUMENT]->(d:Document)
RETURN {_RETURN}, d.path AS path
ORDER BY confidence, doc, start_char, id
"""


_BY_ID_PREFIX = f"""
MATCH (c:Claim)
WHERE c.id STARTS WITH $id AND NOT c.origin STARTS WITH 'review:'
OPTIONAL MATCH (c)-[:IN_DOCUMENT]->(d:Document)
RETURN {_RETURN}, d.path AS path
"""


def find_claim(store, claim_id: str) -> list[dict]:
    """The stored claims (not corrections) whose id is or starts with `claim_id`."""
    return store.query(_BY_ID_PREFIX, {"id": claim_id}).records()


def candidates(store, doc: str | None = None, pair: tuple[str, str] | None = None,
               include_decided: bool = False, decided=()) -> list[dict]:
    """The claims to look at: lowest confidence first, or one link's (a pair of actors), or one
    document's; those already decided left out unless asked for."""
    a, b = pair or ("", "")
    rows = store.query(_CANDIDATES, {"doc": doc or "", "a": a, "b": b}).records()
    return [r for r in rows if include_decided or r["id"] not in decided]


def context(row: dict, width: int = 240) -> str:
    """The quote with the text around it, from the document's file where it can be read."""
    quote = row.get("quote") or ""
    path, start, end = row.get("path"), row.get("start_char"), row.get("end_char")
    if path and start is not None and end is not None:
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return quote
        if 0 <= start < end <= len(text):
            return text[max(0, start - width):min(len(text), end + width)]
    return quote


def parse_correction(tokens, row: dict | None = None) -> dict:
    """`predicate=SUPPORTED polarity=denies said_by=irgc when=1990s` and `reverse` (swap
    subject and object) as the fields a correction sets."""
    changes = {}
    for token in tokens:
        if token == "reverse":
            if row is None:
                raise InputError("the correction", "reverse needs the claim: give subject= and object= instead")
            changes.update(subject=row["object"], object=row["subject"])
            continue
        key, sep, value = token.partition("=")
        if not sep or key not in CORRECTABLE:
            raise InputError("the correction", f"'{token}' is not FIELD=VALUE with FIELD one of {', '.join(CORRECTABLE)}"
                             " (or 'reverse')")
        changes[key] = value or None
    return changes
