"""The actor registry (seeds/actors.yaml) and finding its actors in text.

The registry, not NER labels, decides what is an actor: an alias is matched
whatever its case (acronyms excepted), hyphens, spaces and apostrophes, so
"al-Qaeda", "al Qaeda" and "Al-Qa’ida" are one actor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputError
from .model import ACTOR_KINDS, Actor

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SEPARATOR = r"[\s\-‐‑–]+"
_APOSTROPHE = r"['’‘`]?"
# Short all-capital aliases ("US", "UN", "CIA") are matched with their case, so
# the pronoun "us" is not the United States.
_ACRONYM = re.compile(r"^[A-Z][A-Z.]{0,4}$")


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping so errors can name it."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_records(path: Path) -> list[dict]:
    """A YAML list of mappings, each with its `__line__`; InputError otherwise."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LineLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, f"not valid YAML ({getattr(exc, 'problem', exc)})",
                         line=mark.line + 1 if mark else None) from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise InputError(path, "expected a list of mappings")
    return data


def _alias_units(alias: str, fold: bool) -> tuple[str, ...]:
    """An alias as regex units: one per character, with any run of spaces or hyphens one
    separator unit and an apostrophe optional ("al-Qa'ida" = "al Qaida")."""
    units: list[str] = []
    for w, word in enumerate(re.split(r"[\s\-‐‑–]+", alias.strip())):
        if w:
            units.append(_SEPARATOR)
        for p, piece in enumerate(re.split(r"['’‘`]", word)):
            if p:
                units.append(_APOSTROPHE)
            units += [re.escape(ch.lower() if fold else ch) for ch in piece]
    return tuple(units)


def _trie_pattern(aliases: list[tuple[str, ...]]) -> str:
    """One regex for many aliases, factored by common prefixes: each position of the text
    costs one walk down the trie instead of a try of every alias. At each node the longer
    continuation is tried first, so the longest alias wins, as in a longest-first alternation."""
    trie: dict = {}
    for units in aliases:
        node = trie
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}  # end of an alias

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [unit + emit(child) for unit, child in node.items() if unit]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        if ends:
            body = (body if body.startswith("(?:") else "(?:" + body + ")") + "?"
        return body

    return emit(trie)


def _normalize(alias: str, keep_case: bool) -> str:
    key = re.sub(r"['’‘`]", "", re.sub(r"[\s\-‐‑–]+", " ", alias.strip()))
    return key if keep_case else key.lower()


@dataclass(frozen=True)
class Mention:
    actor_id: str
    start: int
    end: int
    text: str


class Registry:
    """Actors by id, with their structure (part_of) and a matcher for their aliases."""

    def __init__(self, actors: list[Actor], path: str | None = None):
        self.path = path
        self.actors: dict[str, Actor] = {actor.id: actor for actor in actors}
        self._matchers = self._compile()

    @classmethod
    def from_yaml(cls, path: Path) -> "Registry":
        records = load_yaml_records(path)
        actors, seen = [], set()
        for record in records:
            actor = _actor_from_record(path, record)
            if actor.id in seen:
                raise InputError(path, f"duplicate actor id '{actor.id}'", record["__line__"], "id")
            seen.add(actor.id)
            actors.append(actor)
        for record, actor in zip(records, actors):
            if actor.part_of and actor.part_of not in seen:
                raise InputError(path, f"part_of names unknown actor '{actor.part_of}'",
                                 record["__line__"], "part_of")
        return cls(actors, str(path))

    def __contains__(self, actor_id: str) -> bool:
        return actor_id in self.actors

    def __len__(self) -> int:
        return len(self.actors)

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def ancestors(self, actor_id: str) -> list[str]:
        """The chain of parents, nearest first: quds-force -> [irgc, iran]."""
        chain, current = [], self.actors.get(actor_id)
        while current and current.part_of and current.part_of not in chain:
            chain.append(current.part_of)
            current = self.actors.get(current.part_of)
        return chain

    def _compile(self) -> list[re.Pattern]:
        """One case-insensitive and one case-sensitive alternation, longest alias first."""
        self._owners: dict[str, str] = {}
        folded, exact = set(), set()
        for actor in self.actors.values():
            for alias in (actor.name, *actor.aliases):
                acronym = bool(_ACRONYM.match(alias))
                (exact if acronym else folded).add(alias)
                self._owners.setdefault(_normalize(alias, keep_case=acronym), actor.id)
        patterns = []
        for aliases, flags in ((folded, re.IGNORECASE), (exact, 0)):
            if aliases:
                trie = _trie_pattern([_alias_units(a, fold=bool(flags)) for a in aliases])
                patterns.append(re.compile(rf"(?<![\w-])(?:{trie})(?![\w])", flags))
        return patterns

    def _owner(self, surface: str) -> str | None:
        return self._owners.get(_normalize(surface, keep_case=True)) or self._owners.get(
            _normalize(surface, keep_case=False))

    def find_mentions(self, text: str) -> list[Mention]:
        """Every alias occurrence, longest match winning where two overlap."""
        found = []
        for pattern in self._matchers:
            for match in pattern.finditer(text):
                actor_id = self._owner(match.group(0))
                if actor_id:
                    found.append(Mention(actor_id, match.start(), match.end(), match.group(0)))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept, last_end = [], -1
        for mention in found:
            if mention.start >= last_end:
                kept.append(mention)
                last_end = mention.end
        return kept


def _actor_from_record(path, record: dict) -> Actor:
    line = record.get("__line__")
    for key in ("id", "name", "kind"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise InputError(path, "missing or not a string", line, key)
    if not SLUG.match(record["id"]):
        raise InputError(path, f"'{record['id']}' is not a slug (a-z, 0-9, -)", line, "id")
    if record["kind"] not in ACTOR_KINDS:
        raise InputError(path, f"'{record['kind']}' is not one of {', '.join(ACTOR_KINDS)}", line, "kind")
    aliases = record.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise InputError(path, "must be a list of non-empty strings", line, "aliases")
    part_of = record.get("part_of")
    if part_of is not None and not isinstance(part_of, str):
        raise InputError(path, "must be an actor id or null", line, "part_of")
    return Actor(record["id"], record["name"], record["kind"], list(aliases), part_of)
