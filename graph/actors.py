"""The actor registry (graph/registry/actors.yaml, or a corpus's actors.yaml) and finding its
actors in text.

The registry, not NER labels, decides what is an actor. Aliases are matched word by word:
a word is compared without case (short all-capital acronyms excepted: "US" is not "us"),
accents or apostrophes, and through the spelling variants of graph/matching.yaml, so
"al-Qaeda", "al Qaida", "El-Qa’ida" and "AL QAEDA" are one actor. Spaces, hyphens, dashes
and slashes between words are alike, and are word boundaries: "anti-Iran" names Iran, and
"Hezbollah-backed" Hezbollah (a hyphen after a capitalised word joins a compound, "the
Clinton-Yeltsin exchanges", in which a name is not looked for after the hyphen). Where
aliases overlap, the longest wins; the result does not depend on the order of the registry.

An alias belongs to one actor, unless every actor holding it lists it under
`shared_aliases`: a surname, an acronym, "Defense Ministry", or a word that names an actor
only in context ("the panel"). A shared alias is resolved by the document, even when one
actor holds it: the actor it was defined for ("Full Name (ABBR)"), else the holder named
by an alias of its own nearest before it (or just after it); otherwise it names nobody.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputError
from .model import ACTOR_KINDS, Actor

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MATCHING_PATH = Path(__file__).parent / "matching.yaml"
# Short all-capital aliases ("US", "UN", "CIA", "U.S.") are matched with their case, so the
# pronoun "us" is not the United States; so are short ones with a capital inside ("LeT", "JeM",
# "HaS"), so the verb "Let" is not Lashkar-e-Taiba.
_ACRONYM = re.compile(r"^(?:[A-Z][A-Z.]{0,4}|(?=[A-Za-z]{2,6}$)[A-Z][a-z]*[A-Z][A-Za-z]*)$")
_APOSTROPHES = "'’‘`ʼ"
# A word: letters and digits, with apostrophes inside ("Qa'ida"); or a dotted acronym ("U.S.").
_TOKEN = re.compile(r"[^\W\d_](?:\.[^\W\d_])+\.?|[^\W_]+(?:[" + _APOSTROPHES + r"][^\W_]+)*")
_POSSESSIVE = re.compile(r"[" + _APOSTROPHES + r"][sS]$")
# What lies between two words of one alias, once spaces, hyphens, dashes, slashes and
# apostrophes are removed, must be the same in the alias and in the text ("." in "Maj. Gen.").
_GAP_NOISE = {ord(c): None for c in " \t\n\r\f\v\u00a0\u2009\u202f-‐‑‒–—/" + _APOSTROPHES}
_POSSESSIVE_TOKEN = "'s"
# A document's own definition of an abbreviation: "Islamic State (IS)".
# "Full Name (ABBR)" or "Full Name, or ABBR,": the document defines an abbreviation.
_ABBR = r"[A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,5}"
_DEFINITION = re.compile(rf"\s*(?:\(\s*({_ABBR})\s*\)|,\s+or\s+({_ABBR})(?=[\s,.;:]|$))")
# How far after a shared alias a full name still resolves it, when none comes before.
NEARBY_AFTER = 400


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


# -- spelling -----------------------------------------------------------------------

def _fold(word: str) -> str:
    """A word without case, accents, apostrophes or dots."""
    word = word.lower()
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
        word = word.replace("ı", "i")
    return word.translate(_STRIP_WORD)


_STRIP_WORD = {ord(c): None for c in "." + _APOSTROPHES}


@dataclass(frozen=True)
class Spelling:
    """The matching rules of graph/matching.yaml: spelling variants and stopwords."""

    canonical: dict
    stopwords: frozenset

    @classmethod
    def from_yaml(cls, path: Path = MATCHING_PATH) -> "Spelling":
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(path, f"cannot read: {exc}") from None
        canonical: dict[str, str] = {}
        for group in data.get("variants") or []:
            if not isinstance(group, list) or len(group) < 2:
                raise InputError(path, f"a variant group must list two spellings or more: {group!r}",
                                 field="variants")
            words = [_fold(str(w)) for w in group]
            for word in dict.fromkeys(words):
                if word in canonical and canonical[word] != words[0]:
                    raise InputError(path, f"'{word}' is in two variant groups", field="variants")
                canonical[word] = words[0]
        stopwords = frozenset(_fold(str(w)) for w in data.get("stopwords") or [])
        return cls(canonical, stopwords)

    def word(self, surface: str) -> str:
        folded = _fold(surface)
        return self.canonical.get(folded, folded)


_SPELLING: Spelling | None = None


def default_spelling() -> Spelling:
    global _SPELLING
    if _SPELLING is None:
        _SPELLING = Spelling.from_yaml()
    return _SPELLING


def _tokens(text: str, start: int = 0, end: int | None = None):
    """(start, end) of each word; a possessive "'s" is a word of its own ("IRGC’s")."""
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        a, b = match.span()
        if b - a > 2 and _POSSESSIVE.search(match.group()):
            yield a, b - 2
            yield b - 2, b
        else:
            yield a, b


def _joined(text: str, previous: tuple[int, int], start: int) -> bool:
    """Whether a word is the second half of a hyphenated compound whose first half is capitalised
    ("the Clinton-Yeltsin exchanges"), where a name does not start; after a lowercase prefix it
    does ("anti-Iran", "pro-Hezbollah"), and dashes always separate ("Iran–Iraq")."""
    return start - previous[1] == 1 and text[previous[1]] in "-‐‑" and not text[previous[0]].islower()


def _abbreviates(abbreviation: str, name: str) -> bool:
    """Whether "(IS)" can stand for "Islamic State": its first letter starts a word of the name
    and its letters come in order in it; "TEHRAN (AFP)" and "Japan (AP)" are no definitions."""
    name = _fold(name)
    letters = abbreviation.lower()
    if not any(w.startswith(letters[0]) for w in re.split(r"[\W_]+", name) if w):
        return False
    position = 0
    for letter in letters:
        position = name.find(letter, position) + 1
        if not position:
            return False
    return True


def _gap(text: str) -> str:
    return text.translate(_GAP_NOISE)


def alias_key(alias: str, spelling: Spelling | None = None) -> tuple:
    """What an alias is compared by: its canonical words and what separates them."""
    spelling = spelling or default_spelling()
    key, previous = [], None
    for a, b in _tokens(alias):
        word = alias[a:b]
        canon = _POSSESSIVE_TOKEN if _POSSESSIVE.fullmatch(word) else spelling.word(word)
        key.append(canon if previous is None else (_gap(alias[previous:a]), canon))
        previous = b
    return tuple(key)


# -- problems -------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One thing wrong with a registry: where (file, line, field), which actor, what."""

    path: str
    line: int | None
    field: str | None
    actor: str | None
    message: str

    def __str__(self) -> str:
        where = str(self.path) + (f":{self.line}" if self.line is not None else "")
        who = f"actor '{self.actor}': " if self.actor else ""
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {who}{what}{self.message}"

    def error(self) -> InputError:
        actor = f"actor '{self.actor}': " if self.actor else ""
        return InputError(self.path, actor + self.message, self.line, self.field)


def _record_problems(path, record: dict) -> list[Problem]:
    line = record.get("__line__")
    actor = record.get("id") if isinstance(record.get("id"), str) else None
    out = []

    def bad(field, message):
        out.append(Problem(str(path), line, field, actor, message))

    for key in ("id", "name", "kind"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            bad(key, "missing or not a string")
    if out:
        return out
    if not SLUG.match(record["id"]):
        bad("id", f"'{record['id']}' is not a slug (a-z, 0-9, -)")
    if record["kind"] not in ACTOR_KINDS:
        bad("kind", f"'{record['kind']}' is not one of {', '.join(ACTOR_KINDS)}")
    for key in ("aliases", "shared_aliases"):
        aliases = record.get(key) or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            bad(key, "must be a list of non-empty strings")
    part_of = record.get("part_of")
    if part_of is not None and not isinstance(part_of, str):
        bad("part_of", "must be an actor id or null")
    known = {"__line__", "id", "name", "kind", "aliases", "shared_aliases", "part_of", "source"}
    for key in record:
        if key not in known:
            bad(str(key), f"unknown field (known: {', '.join(sorted(known - {'__line__'}))})")
    if "source" in record and record["source"] is not None and not isinstance(record["source"], str):
        bad("source", "must be a string")
    return out


def _actor(record: dict) -> Actor:
    return Actor(record["id"], record["name"], record["kind"], list(record.get("aliases") or []),
                 record.get("part_of"), list(record.get("shared_aliases") or []))


def structure_problems(path, actors: list[tuple[Actor, int | None]], spelling: Spelling | None = None
                       ) -> list[Problem]:
    """What is wrong across actors: duplicate ids, unknown or cyclic part_of, stopword aliases,
    and aliases two actors hold without both declaring them shared."""
    spelling = spelling or default_spelling()
    path = str(path)
    out: list[Problem] = []
    first: dict[str, tuple[Actor, int | None]] = {}
    for actor, line in actors:
        if actor.id in first:
            other = first[actor.id][1]
            out.append(Problem(path, line, "id", actor.id,
                               f"duplicate actor id (first at line {other})" if other else "duplicate actor id"))
        else:
            first[actor.id] = (actor, line)
    for actor, line in first.values():
        if actor.part_of is None:
            continue
        if actor.part_of == actor.id:
            out.append(Problem(path, line, "part_of", actor.id, "an actor cannot be part of itself"))
        elif actor.part_of not in first:
            out.append(Problem(path, line, "part_of", actor.id, f"part_of names unknown actor '{actor.part_of}'"))
    reported: set[str] = set()
    for actor, line in first.values():
        chain, current = [actor.id], actor.part_of
        while current in first and current not in chain and current != actor.id:
            chain.append(current)
            current = first[current][0].part_of
        if current == actor.id and len(chain) > 1 and not reported & set(chain):
            reported |= set(chain)
            out.append(Problem(path, line, "part_of", actor.id,
                               "part_of makes a cycle: " + " -> ".join([*chain, actor.id])))
    owners: dict[tuple, list[tuple[Actor, int | None, str, bool]]] = {}
    for actor, line in first.values():
        shared = set(actor.shared_aliases)
        for alias in dict.fromkeys([actor.name, *actor.aliases, *actor.shared_aliases]):
            field = "name" if alias == actor.name and alias not in actor.aliases else (
                "shared_aliases" if alias in shared else "aliases")
            key = alias_key(alias, spelling)
            if not key:
                out.append(Problem(path, line, field, actor.id, f"alias '{alias}' has no letter or digit"))
                continue
            words = [alias[a:b] for a, b in _tokens(alias)]
            if all(_fold(w) in spelling.stopwords and not _ACRONYM.match(w) for w in words):
                out.append(Problem(path, line, field, actor.id,
                                   f"alias '{alias}' is only stopwords: it would match everywhere"))
                continue
            holders = owners.setdefault(key, [])
            for other, other_line, other_alias, other_shared in holders:
                if other.id == actor.id or (other_shared and alias in shared):
                    continue
                case_apart = _ACRONYM.match(alias) and _ACRONYM.match(other_alias) and \
                    alias.replace(".", "") != other_alias.replace(".", "")
                if case_apart:
                    continue
                where = f"{path}:{other_line}" if other_line else path
                out.append(Problem(path, line, field, actor.id,
                                   f"alias '{alias}' is also '{other_alias}' of actor '{other.id}' ({where}); "
                                   "list it under shared_aliases of both to share it"))
                break
            holders.append((actor, line, alias, alias in shared))
    return out


def check_registry(path: Path, spelling: Spelling | None = None) -> list[Problem]:
    """Every problem of a registry file, in file order (empty when it is sound)."""
    try:
        records = load_yaml_records(path)
    except InputError as exc:
        return [Problem(str(exc.path), exc.line, exc.field, None, str(exc).split(": ", 1)[-1])]
    out, actors = [], []
    for record in records:
        problems = _record_problems(path, record)
        out += problems
        if not any(p.field in ("id", "name", "aliases", "shared_aliases", "part_of") or
                   p.message == "missing or not a string" for p in problems):
            actors.append((_actor(record), record.get("__line__")))
    out += structure_problems(path, actors, spelling)
    return sorted(out, key=lambda p: (p.line or 0))


# -- the registry ---------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    actor_id: str
    start: int
    end: int
    text: str


class Registry:
    """Actors by id, with their structure (part_of) and a matcher for their aliases."""

    def __init__(self, actors: list[Actor], path: str | None = None, spelling: Spelling | None = None,
                 _checked: bool = False):
        self.path = path
        self.spelling = spelling or default_spelling()
        actors = list(actors)
        if not _checked:
            problems = structure_problems(path or "the registry", [(a, None) for a in actors], self.spelling)
            if problems:
                raise problems[0].error()
        self.actors: dict[str, Actor] = {actor.id: actor for actor in actors}
        self._compile()

    @classmethod
    def from_yaml(cls, path: Path, spelling: Spelling | None = None) -> "Registry":
        records = load_yaml_records(path)
        for record in records:
            problems = _record_problems(path, record)
            if problems:
                raise problems[0].error()
        actors = [_actor(r) for r in records]
        problems = structure_problems(path, [(a, r["__line__"]) for a, r in zip(actors, records)],
                                      spelling or default_spelling())
        if problems:
            raise sorted(problems, key=lambda p: p.line or 0)[0].error()
        return cls(actors, str(path), spelling, _checked=True)

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

    def _compile(self):
        """A trie of aliases word by word. Its first level is keyed by a word, the next ones by
        (what separates it from the word before, word); `None` holds the aliases ending there:
        (actor id, the exact spelling an acronym needs or None, shared)."""
        self._trie: dict = {}
        self._words: dict[str, str] = {}  # surface word -> canonical word, kept across documents
        self.alias_count = 0
        for actor in sorted(self.actors.values(), key=lambda a: a.id):
            shared = set(actor.shared_aliases)
            for alias in sorted(set([actor.name, *actor.aliases, *actor.shared_aliases])):
                key = alias_key(alias, self.spelling)
                if not key:
                    continue
                node = self._trie
                for step in key:
                    node = node.setdefault(step, {})
                exact = alias.replace(".", "") if _ACRONYM.match(alias) else None
                entries = node.setdefault(None, [])
                entry = (actor.id, exact, alias in shared)
                if entry not in entries:
                    entries.append(entry)
                    entries.sort(key=lambda e: (e[0], e[1] or "", e[2]))
                    self.alias_count += 1

    def find_mentions(self, text: str) -> list[Mention]:
        """Every alias occurrence, the longest winning where two overlap; shared aliases
        resolved by the document, or left out."""
        cache = self._words
        if len(cache) > 500_000:
            cache.clear()
        word, trie = self.spelling.word, self._trie
        spans, words = [], []
        for match in _TOKEN.finditer(text):
            surface = match.group()
            a, b = match.span()
            if b - a > 2 and surface[-1] in "sS" and surface[-2] in _APOSTROPHES:  # "IRGC’s"
                surface = surface[:-2]
                spans.append((a, b - 2))
                words.append(cache.get(surface) or cache.setdefault(surface, word(surface)))
                spans.append((b - 2, b))
                words.append(_POSSESSIVE_TOKEN)
                continue
            spans.append((a, b))
            canon = cache.get(surface)
            if canon is None:
                canon = cache[surface] = word(surface)
            words.append(canon)
        if not spans:
            return []
        found: list[tuple[int, int, list[str], bool]] = []  # start, end, candidates, shared
        i, n = 0, len(spans)
        while i < n:
            node = trie.get(words[i])
            if node is None or (i and _joined(text, spans[i - 1], spans[i][0])):
                i += 1
                continue
            best = None
            j = i
            while True:
                entries = node.get(None)
                if entries:
                    start, end = spans[i][0], spans[j][1]
                    valid = [e for e in entries if e[1] is None or e[1] == text[start:end].replace(".", "")]
                    if valid:
                        best = (j, valid)
                j += 1
                if j >= n:
                    break
                gap = text[spans[j - 1][1]:spans[j][0]]
                node = node.get(("" if gap == " " else _gap(gap), words[j]))
                if node is None:
                    break
            if best is None:
                i += 1
                continue
            j, valid = best
            candidates = list(dict.fromkeys(e[0] for e in valid))
            found.append((spans[i][0], spans[j][1], candidates, any(e[2] for e in valid)))
            i = j + 1
        return self._resolve(text, found, spans, words)

    def _resolve(self, text, found, spans, words) -> list[Mention]:
        """Shared aliases to the actor the document means; abbreviations it defines."""
        mentions: list[Mention | None] = []
        definitions: dict[str, str] = {}
        defined_at: dict[str, tuple[int, int]] = {}  # each definition's abbreviation, and the definition's end
        plain: dict[str, list[int]] = {}  # actor -> starts of its unshared mentions
        for start, end, candidates, shared in found:
            if not shared:
                mentions.append(Mention(candidates[0], start, end, text[start:end]))
                plain.setdefault(candidates[0], []).append(start)
            else:
                mentions.append(None)
        # "Full Name (ABBR)": the abbreviation is the full name's actor in this document
        for k, (start, end, candidates, shared) in enumerate(found):
            mention = mentions[k]
            if mention is None:
                continue
            match = _DEFINITION.match(text, end)
            abbreviation = match and (match.group(1) or match.group(2))
            if abbreviation and _abbreviates(abbreviation, mention.text) and abbreviation not in definitions:
                definitions[abbreviation] = mention.actor_id
                defined_at[abbreviation] = (match.start(1 if match.group(1) else 2), match.end())
        # ... even where the registry gives it to another actor ("The Al-Ashtar Brigades, or AAB")
        dropped = set()
        for k, mention in enumerate(mentions):
            if mention is None or definitions.get(mention.text, mention.actor_id) == mention.actor_id:
                continue
            at, end = defined_at[mention.text]
            if at <= mention.start < end:
                mentions[k] = None  # the definition itself, like any "(ABBR)", is no mention of its own
                dropped.add(k)
            elif mention.start >= end:
                mentions[k] = Mention(definitions[mention.text], mention.start, mention.end, mention.text)
        for k, (start, end, candidates, shared) in enumerate(found):
            if mentions[k] is not None or k in dropped:
                continue
            surface = text[start:end]
            actor = definitions.get(surface)
            if actor not in candidates:
                actor = self._nearest(candidates, start, plain)
            if actor:
                mentions[k] = Mention(actor, start, end, surface)
        # abbreviations the registry lacks, defined by the document, name their actor after
        if definitions:
            covered = [(f[0], f[1]) for f in found]
            taken = {text[a:b] for a, b in covered}
            extra = []
            for a, b in spans:
                surface = text[a:b]
                actor = definitions.get(surface)
                if actor and surface not in taken and a >= defined_at[surface][1] and \
                        not any(x <= a < y for x, y in covered):
                    extra.append(Mention(actor, a, b, surface))
            mentions += extra
        kept = sorted((m for m in mentions if m is not None), key=lambda m: (m.start, -m.end))
        return kept

    @staticmethod
    def _nearest(candidates: list[str], position: int, plain: dict[str, list[int]]) -> str | None:
        before = [(max(s for s in plain[c] if s < position), c) for c in candidates
                  if any(s < position for s in plain.get(c, []))]
        if before:
            best = max(before)
            if sum(1 for b in before if b[0] == best[0]) == 1:
                return best[1]
            return None
        after = [(min(s for s in plain[c] if s > position), c) for c in candidates
                 if any(position < s <= position + NEARBY_AFTER for s in plain.get(c, []))]
        if after:
            best = min(after)
            if sum(1 for b in after if b[0] == best[0]) == 1:
                return best[1]
        return None
