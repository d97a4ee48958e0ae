"""Discovery with review: actors NER finds that the registry lacks.

Organisations and people NER finds (Extractor.candidates) in sentences that can hold a
claim, and that no alias covers, become provisional actors: id `new-<slug>`, kind from the
NER label (a hint only: "Houthis" may come out a person). A load extracts each document
with the registry, which gives its claims exactly as without discovery; a document that
names provisional actors is extracted again with the registry extended by them, and of
that only the claims with a provisional subject or object are kept, marked provisional.
Only provisional actors that take part in a claim are stored.

The analyst's decisions live in `actors.review.yaml` beside actors.yaml, sorted by name:

    - name: Crimson Dawn Front
      decision: accept          # accept (kind, part_of, id), merge (into) or reject
      kind: armed_group
      id: crimson-dawn-front
      by: ana
      at: '2026-11-30T21:00:00Z'

Every load applies them: an accepted name is a registry actor, a merged one an alias of
the actor it was merged into, a rejected one never provisional. Each document keeps the
digest of the decisions naming something in it (Document.discovery), and a load extracts
again the documents whose digest changed: removing a decision (undo) restores their claims.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from .actors import SLUG, Registry, alias_key, load_yaml_records
from .errors import GraphctlError, InputError
from .model import ACTOR_KINDS, DOCUMENT_SPEAKERS, Actor, Claim, Document, content_hash

FILE_NAME = "actors.review.yaml"
DECISIONS = ("accept", "merge", "reject")
# NER labels that may name a new actor, and the kind they hint at. Places (GPE) are not actors.
KIND_HINTS = {"ORG": "organization", "PERSON": "person"}
PREFIX = "new-"
VERSION = "1"  # changes the digest of every document: a load extracts them all again
CHUNK = 256  # documents whose candidates are gathered before they are extracted

_STORED = ("MATCH (a:Actor) WHERE a.provisional = true "
           "RETURN a.id AS id, a.name AS name, a.kind AS kind, a.aliases AS aliases")
_DIGESTS = "MATCH (d:Document) RETURN d.name, d.discovery"
_UNUSED = """
MATCH (a:Actor) WHERE a.provisional = true OR a.id IN $ids
OPTIONAL MATCH (c:Claim)-[:SUBJECT|OBJECT|SAID_BY]->(a)
WITH a, count(c) AS claims
WHERE claims = 0
RETURN a.id
"""
_DELETE = "UNWIND $ids AS i MATCH (a:Actor {id: i}) DETACH DELETE a"
_LIST = """
MATCH (a:Actor) WHERE a.provisional = true
MATCH (c:Claim)-[:SUBJECT|OBJECT]->(a)
RETURN a.id AS id, a.name AS name, a.kind AS kind, a.aliases AS aliases, count(c) AS claims,
       count(DISTINCT c.doc) AS documents, min(c.subject + ' ' + c.predicate + ' ' + c.object) AS claim,
       min(c.quote) AS example
ORDER BY claims DESC, name
"""


@dataclass
class Decision:
    name: str
    decision: str  # accept, merge or reject
    kind: str | None = None  # accept
    part_of: str | None = None  # accept
    id: str | None = None  # accept: the new actor's id (default: the name's slug)
    into: str | None = None  # merge: the actor the name becomes an alias of
    by: str | None = None
    at: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @property
    def actor_id(self) -> str | None:
        return (self.id or slug(self.name)) if self.decision == "accept" else self.into

    @property
    def what(self) -> dict:
        """What the decision says, without who and when: what a document's digest covers."""
        return {k: v for k, v in self.to_dict().items() if k not in ("by", "at")}


def slug(name: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded.lower().replace("'", "").replace("’", "")).strip("-") or "actor"


def _check(decision: Decision, path, line=None) -> Decision:
    def bad(field, message):
        raise InputError(path, message, line, field)

    if not isinstance(decision.name, str) or not decision.name.strip():
        bad("name", "missing or not a string")
    if decision.decision not in DECISIONS:
        bad("decision", f"'{decision.decision}' is not one of {', '.join(DECISIONS)}")
    if decision.decision == "accept":
        if decision.kind not in ACTOR_KINDS:
            bad("kind", f"an accepted actor needs a kind, one of {', '.join(ACTOR_KINDS)}")
        if not SLUG.match(decision.actor_id) or decision.actor_id.startswith(PREFIX):
            bad("id", f"'{decision.actor_id}' is not a slug (a-z, 0-9, -) outside '{PREFIX}...'")
    elif decision.kind or decision.part_of or decision.id:
        bad("kind", "only an accepted name takes kind, part_of and id")
    if (decision.decision == "merge") != bool(decision.into):
        bad("into", "a merge, and only a merge, names the actor it goes into")
    return decision


def read_decisions(path: Path) -> list[Decision]:
    """The decisions of a file (none if it does not exist), checked; InputError names file, line, field."""
    path = Path(path)
    if not path.exists():
        return []
    decisions, seen = [], {}
    for record in load_yaml_records(path):
        line = record.pop("__line__", None)
        try:
            decision = Decision(**record)
        except TypeError as exc:
            raise InputError(path, f"not a decision ({exc})", line) from None
        _check(decision, path, line)
        key = alias_key(decision.name)
        if key in seen:
            raise InputError(path, f"'{decision.name}' is decided twice (first at line {seen[key]})", line, "name")
        seen[key] = line
        decisions.append(decision)
    return decisions


def write_decisions(path: Path, decisions: list[Decision]):
    """The file rewritten whole, sorted by name, then renamed into place."""
    path = Path(path)
    records = [d.to_dict() for d in sorted(decisions, key=lambda d: (d.name.lower(), d.name))]
    text = ("# Decisions on actors NER found that the registry lacks (graphctl actors review).\n"
            + (yaml.safe_dump(records, sort_keys=False, allow_unicode=True, width=120) if records else "[]\n"))
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


def record(path: Path, decision: Decision, registry: Registry) -> list[Decision]:
    """Add or replace the decision on a name; refused (nothing written) if the registry can't take it."""
    decision.by = decision.by or os.environ.get("GRAPHCTL_REVIEWER") or os.environ.get("USER") or "unknown"
    decision.at = decision.at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    _check(decision, "the decision")
    key = alias_key(decision.name)
    decisions = [d for d in read_decisions(path) if alias_key(d.name) != key] + [decision]
    effective(registry, decisions, path)
    write_decisions(path, decisions)
    return decisions


def undo(path: Path, name: str) -> Decision:
    """Remove the decision on a name; returns it."""
    decisions = read_decisions(path)
    key = alias_key(name)
    found = [d for d in decisions if alias_key(d.name) == key]
    if not found:
        raise GraphctlError(f"no decision on '{name}' in {path}")
    write_decisions(path, [d for d in decisions if d is not found[0]])
    return found[0]


def folder_decisions(paths: Iterable[Path]) -> list[Decision]:
    """The decisions of the folders being loaded (a later folder's decision on a name wins)."""
    by_key = {}
    for folder in paths:
        candidate = Path(folder) / FILE_NAME
        if Path(folder).is_dir() and candidate.exists():
            by_key.update({alias_key(d.name): d for d in read_decisions(candidate)})
    return list(by_key.values())


def effective(registry: Registry, decisions: list[Decision], path=FILE_NAME) -> Registry:
    """The registry with the decisions applied: accepted names as actors, merged ones as aliases."""
    changes = [d for d in decisions if d.decision != "reject"]
    if not changes:
        return registry
    actors = dict(registry.actors)
    for d in (d for d in changes if d.decision == "accept"):
        if d.actor_id in actors:
            raise InputError(path, f"'{d.name}': actor id '{d.actor_id}' is taken; give another with --id", field="id")
        actors[d.actor_id] = Actor(d.actor_id, d.name, d.kind, [d.name], d.part_of)
    for d in changes:
        if d.decision == "accept" and d.part_of and d.part_of not in actors:
            raise InputError(path, f"'{d.name}': part_of names unknown actor '{d.part_of}'", field="part_of")
        if d.decision == "merge":
            if d.into not in actors:
                raise InputError(path, f"'{d.name}': merged into unknown actor '{d.into}'", field="into")
            actors[d.into] = replace(actors[d.into], aliases=[*actors[d.into].aliases, d.name])
    try:
        return Registry(list(actors.values()), registry.path, registry.spelling)
    except InputError as exc:
        raise InputError(path, str(exc).split(": ", 1)[-1]) from None


class Discovery:
    """One load's provisional actors, under the decisions of the folders loaded."""

    def __init__(self, registry: Registry, decisions: list[Decision] = (), enabled: bool = True):
        """enabled=False: no NER, no provisional actors (the decisions still apply), as `graphctl
        extract` gives its claims."""
        self.enabled = enabled
        self.decisions = list(decisions)
        self.registry = effective(registry, self.decisions)
        self.spelling = registry.spelling
        self.rejected = {alias_key(d.name) for d in self.decisions if d.decision == "reject"}
        self._known = {alias_key(alias, self.spelling) for actor in self.registry.actors.values()
                       for alias in (actor.name, *actor.aliases, *actor.shared_aliases)}
        self._decided = Registry([Actor(f"d{i}", d.name, "group") for i, d in enumerate(self.decisions)],
                                 spelling=self.spelling, _checked=True)
        self.found: dict[str, Actor] = {}  # provisional actors by id
        self._ids: dict[tuple, str] = {}  # alias key -> provisional id
        self._changes = 0  # of `found`: the extended extractor is built again after one

    def digest(self, document: Document) -> str:
        """What this document's claims depend on of the decisions: those naming something in it."""
        named = sorted({int(m.actor_id[1:]) for m in self._decided.find_mentions(document.text)})
        return f"v{VERSION}{'' if self.enabled else '-off'}:" + content_hash(json.dumps([self.decisions[i].what for i in named], sort_keys=True))

    def add(self, name: str, kind: str) -> str | None:
        """A provisional actor for a name (its id), unless the registry or a decision covers it."""
        key = alias_key(name, self.spelling)
        words = [step if isinstance(step, str) else step[1] for step in key]
        if not key or key in self._known or key in self.rejected or all(w in self.spelling.stopwords for w in words):
            return None
        if key not in self._ids:
            actor_id, n = PREFIX + slug(name), 1
            while actor_id in self.found:
                n += 1
                actor_id = f"{PREFIX}{slug(name)}-{n}"
            self._ids[key] = actor_id
            self.found[actor_id] = Actor(actor_id, name, kind, [], provisional=True)
            self._changes += 1
        actor = self.found[self._ids[key]]
        if name != actor.name and name not in actor.aliases:
            actor.aliases.append(name)
            self._changes += 1
        return actor.id

    def add_stored(self, store):
        """Provisional actors other documents named: matched in these too."""
        for row in [] if not self.enabled else store.query(_STORED).records():
            for name in [row["name"], *(row["aliases"] or [])]:
                self.add(name, row["kind"])

    def actors_in(self, claims: Iterable[Claim]) -> dict[str, Actor]:
        named = {i for c in claims for i in (c.subject, c.object, c.said_by) if i not in DOCUMENT_SPEAKERS}
        return {i: self.found[i] for i in named if i in self.found}

    def extract(self, documents: Iterable[Document], jobs: int = 1) -> Iterator[tuple[Document, list[Claim]]]:
        """(document, claims), in order: the registry's claims, then the provisional ones."""
        from . import extraction

        def extract(extractor, chunk):  # in this process, the model loaded once; or in a pool of `jobs`
            if jobs > 1:
                return list(extraction.extract_many(chunk, extractor.registry, jobs=jobs))
            return [pair for part in extraction._chunks(chunk, extraction.DOCUMENTS_PER_BATCH)
                    for pair in zip(part, extractor.extract_batch(part))]

        finder = extraction.Extractor(self.registry)  # NER for candidates, and the registry's claims
        rules, extended, built = finder.rules, None, -1
        for chunk in extraction._chunks(documents, CHUNK):
            for document in chunk:
                relevant = [s.text for s in extraction.split_sentences(document.text)
                            if rules.trigger_rx.search(s.text) or rules.structure_rx.search(s.text)]
                if relevant and self.enabled:
                    for candidate in finder.candidates(Document(document.name, "\n".join(relevant))):
                        if candidate.label in KIND_HINTS:
                            self.add(candidate.text, KIND_HINTS[candidate.label])
            pairs = extract(finder, chunk)
            extra = {}
            matcher = Registry(list(self.found.values()), spelling=self.spelling, _checked=True)
            naming = [d for d in chunk if matcher.find_mentions(d.text)]
            if naming:
                if built != self._changes:
                    built = self._changes
                    extended = extraction.Extractor(Registry([*self.registry.actors.values(), *self.found.values()],
                                                             self.registry.path, self.spelling, _checked=True))
                for document, claims in extract(extended, naming):
                    extra[document.name] = [replace(c, provisional=True) for c in claims
                                            if c.subject in self.found or c.object in self.found]
            for document, claims in pairs:
                yield document, claims + extra.get(document.name, [])


def stored_digests(store) -> dict[str, str | None]:
    return dict(store.query(_DIGESTS).rows)


def remove_unused(store, ids: Iterable[str] = ()) -> list[str]:
    """Provisional actors (and `ids`) that no claim names any more, removed from the store."""
    unused = [row[0] for row in store.query(_UNUSED, {"ids": list(ids)}).rows]
    if unused:
        store.query(_DELETE, {"ids": unused}, write=True)
    return unused


def provisional_ids(store) -> set[str]:
    return {row["id"] for row in store.query(_STORED).records()}


def listing(store, decisions: list[Decision]) -> list[dict]:
    """The provisional actors stored, with their claims and an example, then the decided names."""
    rows = [{**row, "decision": "pending"} for row in store.query(_LIST).records()]
    for d in sorted(decisions, key=lambda d: d.name.lower()):
        rows.append({"id": d.actor_id, "name": d.name, "kind": d.kind, "aliases": [], "claims": None,
                     "documents": None, "claim": None, "example": None, "decision": d.decision})
    return rows
