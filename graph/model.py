"""The records every stage passes along: actors, documents and claims.

A claim is never a fact: it is one statement, in one document, that one actor
stands in one relation to another (see CLAIMS-GUIDE.md in the docs).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Predicate:
    """One predicate, as graph/predicates.yaml declares it."""

    name: str
    symmetric: bool  # no direction: compared and grouped as an unordered pair
    cooperative: bool  # help or partnership, "in tension" with an opposing claim
    opposing: bool  # hostility, "in tension" with a cooperative claim
    edge: str  # the type of the actor-to-actor edge of each claim


PREDICATES_FILE = Path(__file__).parent / "predicates.yaml"
_NAME = re.compile(r"[A-Z][A-Z_]*")  # edge types reach Cypher DDL as names, never as parameters


def load_predicates(path: Path = PREDICATES_FILE) -> dict[str, Predicate]:
    """The declared predicates by name, checked: names and edge types unique identifiers, flags booleans."""
    def fail(message):
        raise ValueError(f"{path}: {message}")

    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("predicates")
    if not isinstance(entries, list) or not entries:
        fail("'predicates' must be a list of predicates")
    fields = {f.name for f in dataclasses.fields(Predicate)}
    declared: dict[str, Predicate] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or set(entry) != fields:
            fail(f"predicate {number} must have exactly the keys {', '.join(sorted(fields))}")
        for key in ("name", "edge"):
            if not isinstance(entry[key], str) or not _NAME.fullmatch(entry[key]):
                fail(f"predicate {number}: {key} {entry[key]!r} is not an upper-case name")
        for key in fields - {"name", "edge"}:
            if not isinstance(entry[key], bool):
                fail(f"predicate {entry['name']}: {key} must be true or false")
        if entry["cooperative"] and entry["opposing"]:
            fail(f"predicate {entry['name']}: cooperative and opposing at once")
        if entry["name"] in declared or entry["edge"] in {p.edge for p in declared.values()}:
            fail(f"predicate {entry['name']} (or its edge type) is declared twice")
        declared[entry["name"]] = Predicate(**entry)
    return declared


PREDICATE_SPECS = load_predicates()
PREDICATES = tuple(PREDICATE_SPECS)
SYMMETRIC = frozenset(p.name for p in PREDICATE_SPECS.values() if p.symmetric)
COOPERATIVE = frozenset(p.name for p in PREDICATE_SPECS.values() if p.cooperative)
OPPOSING = frozenset(p.name for p in PREDICATE_SPECS.values() if p.opposing)
EDGE_TYPES = {p.name: p.edge for p in PREDICATE_SPECS.values()}
# Query parameters a shipped query may take from the declaration ("(default: predicates.yaml)").
PREDICATE_LISTS = {"predicates": list(PREDICATES), "symmetric": sorted(SYMMETRIC),
                   "cooperative": sorted(COOPERATIVE), "opposing": sorted(OPPOSING)}
POLARITIES = ("affirms", "denies")
CERTAINTIES = ("asserted", "hedged", "speculative")
ACTOR_KINDS = ("state", "government_body", "armed_group", "organization", "person", "group")
AUTHOR = "author"
# A claim relayed without naming who makes it ("sources say"): the claims guide's ruling.
UNNAMED = "unnamed"
# Speakers that are not actors: each counts once per document.
DOCUMENT_SPEAKERS = frozenset({AUTHOR, UNNAMED})
# Review states (graph/review.py): confirmed, rejected, corrected (a correction, counted) and
# replaced (the original of a correction). Rejected and replaced claims stay stored for audit
# but no longer count in links, contested or tension.
NOT_COUNTED = ("rejected", "replaced")

# The keys of a claim in the claims guide's JSONL format, in order.
GUIDE_KEYS = ("doc", "subject", "predicate", "object", "polarity", "said_by", "certainty", "when", "evidence")
# Set on stored claims by a load, not by extraction: written out only where set.
STATE_KEYS = ("review", "review_note", "source", "provisional")


def counts(review: str | None) -> bool:
    """Whether a claim in this review state counts in links, contested and tension."""
    return review not in NOT_COUNTED


LINK_KEY_SEPARATOR = "|"  # actor ids are slugs (claimsio, the registry): it never occurs in one


def link_of(subject: str, predicate: str, obj: str) -> tuple[str, str, str]:
    """The (subject, predicate, object) a claim speaks about: a symmetric predicate's two actors
    put in one order, so that both directions meet. The one place that order is decided."""
    if predicate in SYMMETRIC and obj < subject:
        subject, obj = obj, subject
    return subject, predicate, obj


def link_key(subject: str, predicate: str, obj: str) -> str:
    """The Link's key (Link.key, Claim.link_key) of a claim about these three."""
    return LINK_KEY_SEPARATOR.join(link_of(subject, predicate, obj))


def link_parts(key: str) -> tuple[str, str, str]:
    """A link key's subject, predicate and object again."""
    subject, predicate, obj = key.split(LINK_KEY_SEPARATOR)
    return subject, predicate, obj


def pair_key(a: str, b: str) -> str:
    """The two actors whatever the predicate or direction (Claim.pair_key): what links_in_tension joins on."""
    return LINK_KEY_SEPARATOR.join(sorted((a, b)))


def speaker_key(said_by: str, source: str) -> str:
    """Who speaks: `said_by`, except that the author (or an unnamed source) of one source
    (a document, or a group of copies of one story) is not that of another."""
    return f"{said_by}@{source}" if said_by in DOCUMENT_SPEAKERS else said_by


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
    # Found by NER, not in the registry, awaiting the analyst's review (graph/discovery.py).
    provisional: bool = False


@dataclass
class Source:
    """What is known of where a document came from (seeds/sources.yaml)."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    reliability: str | None = None  # Admiralty grade A-F
    story: str | None = None  # the story it carries, as the analyst knows it: one story is one source (graph/sources.py)


@dataclass
class Document:
    name: str  # the file name: what claims call `doc`
    text: str
    path: str = ""
    source: Source = field(default_factory=Source)
    extractor: str | None = None  # the version of the extractor that read it (set by extraction)
    discovery: str | None = None  # the review decisions its claims were extracted under (graph/discovery.py)

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
    # The analyst's word (graph/review.py) and the independent source (graph/sources.py):
    # set on the stored claim by every load, never part of its id.
    review: str | None = None
    review_note: str | None = None
    source: str | None = None  # the document that stands for this one's group of copies
    provisional: bool | None = None  # names an actor found by NER, not yet reviewed (graph/discovery.py)

    @property
    def counted(self) -> bool:
        """Whether the claim counts in links, contested and tension (the analyst did not set it aside)."""
        return counts(self.review)

    @property
    def curated(self) -> bool:
        return self.origin.startswith("curated")

    @property
    def link(self) -> tuple[str, str, str]:
        """The (subject, predicate, object) this claim speaks about (model.link_of)."""
        return link_of(self.subject, self.predicate, self.object)

    @property
    def link_key(self) -> str:
        return link_key(self.subject, self.predicate, self.object)

    @property
    def pair_key(self) -> str:
        return pair_key(self.subject, self.object)

    @property
    def source_document(self) -> str:
        """The document that stands for this claim's group of copies of one story, else its own."""
        return self.source or self.doc

    @property
    def speaker_key(self) -> str:
        """Who speaks: the author (or an unnamed source) of one document is not that of another,
        but copies of one story (graph/sources.py) are one source."""
        return speaker_key(self.said_by, self.source_document)

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
            out.update({key: value for key, value in data.items()
                        if key not in GUIDE_KEYS and not (key in STATE_KEYS and value is None)})
            out["id"] = self.id
        return out
