"""The records every stage passes along: actors, documents and claims.

A claim is never a fact: it is one statement, in one document, that one actor
stands in one relation to another (see CLAIMS-GUIDE.md in the docs).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

PREDICATES = (
    "TRAINED",
    "HOSTED",
    "SUPPORTED",
    "COOPERATED_WITH",
    "OPPOSED",
    "DESIGNATED",
    "PART_OF",
)
# Predicates with no direction: compared and grouped as an unordered pair.
SYMMETRIC = frozenset({"COOPERATED_WITH"})
# Predicates of help or partnership, which are "in tension" with OPPOSED.
COOPERATIVE = frozenset({"COOPERATED_WITH", "TRAINED", "HOSTED", "SUPPORTED"})
POLARITIES = ("affirms", "denies")
CERTAINTIES = ("asserted", "hedged", "speculative")
ACTOR_KINDS = ("state", "government_body", "armed_group", "organization", "person", "group")
AUTHOR = "author"

# The keys of a claim in the claims guide's JSONL format, in order.
GUIDE_KEYS = ("doc", "subject", "predicate", "object", "polarity", "said_by", "certainty", "when", "evidence")


def content_hash(*parts: str, length: int = 16) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass
class Actor:
    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    part_of: str | None = None
    # Aliases other actors may hold too ("Hadi", "Defense Ministry"): the document resolves them.
    shared_aliases: list[str] = field(default_factory=list)


@dataclass
class Source:
    """What is known of where a document came from (seeds/sources.yaml)."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    reliability: str | None = None  # Admiralty grade A-F


@dataclass
class Document:
    name: str  # the file name: what claims call `doc`
    text: str
    path: str = ""
    source: Source = field(default_factory=Source)

    @property
    def id(self) -> str:
        return content_hash(self.text)

    @property
    def title(self) -> str:
        if self.source.title:
            return self.source.title
        first_line = self.text.strip().split("\n", 1)[0].strip()
        return first_line[:200] or self.name


@dataclass
class Claim:
    doc: str
    subject: str
    predicate: str
    object: str
    polarity: str = "affirms"
    said_by: str = AUTHOR
    certainty: str = "asserted"
    when: str | None = None
    evidence: list[str] = field(default_factory=list)
    # Beyond the guide: where the evidence sits, who made the claim and how sure.
    doc_id: str | None = None
    start: int | None = None
    end: int | None = None
    extractor: str = "curated"
    rule: str | None = None
    confidence: float = 1.0
    origin: str = "extracted"  # "extracted", or "curated:<file name>"
    note: str | None = None

    @property
    def curated(self) -> bool:
        return self.origin.startswith("curated")

    @property
    def link(self) -> tuple[str, str, str]:
        """The (subject, predicate, object) this claim speaks about; symmetric
        predicates are ordered so both directions meet."""
        subject, obj = self.subject, self.object
        if self.predicate in SYMMETRIC and obj < subject:
            subject, obj = obj, subject
        return subject, self.predicate, obj

    @property
    def link_key(self) -> str:
        return "|".join(self.link)

    @property
    def speaker_key(self) -> str:
        """Who speaks: the author of one document is not the author of another."""
        return f"author@{self.doc}" if self.said_by == AUTHOR else self.said_by

    @property
    def quote(self) -> str:
        return " … ".join(self.evidence)

    @property
    def id(self) -> str:
        return content_hash(
            self.origin, self.doc, self.doc_id or "", self.subject, self.predicate, self.object,
            self.polarity, self.said_by, self.certainty, self.when or "", json.dumps(self.evidence),
        )

    def to_guide_dict(self, extras: bool = True) -> dict:
        """The claims guide's keys first, then (optionally) the extra ones."""
        data = asdict(self)
        out = {key: data[key] for key in GUIDE_KEYS}
        if extras:
            out.update({key: value for key, value in data.items() if key not in GUIDE_KEYS})
            out["id"] = self.id
        return out
