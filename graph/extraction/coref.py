"""Document coreference before any parse: definite descriptions and titles become mentions.

Written as rules over the text and the registry's mentions (no coreference library runs offline
and knows the registry's actors). Its data is coref.yaml:

- "the group", "the terrorist organization", "the regime": of the actors named in the `window`
  sentences before (same or previous paragraph) whose kind fits the noun, the one named most
  often (of equals, the first named); never one the same sentence names before it ("Hamas
  fought the group"), nor when a name follows ("the group Hamas"). Two exceptions: a name
  qualifying a speaker (`speaker_nouns`: "A Hamas spokesperson said the group ..."), and "this" /
  "that" descriptions, which point to the latest fitting name of their own sentence but its first
  ("KH has ties to Hezbollah and may have received support from that group").
- "the Secretary of State designated ...": the body the title stands for (us-state-department),
  where the loaded registry has it.
- "the Force", "the Council": a capitalised last word of a name (`name_heads`) stands for the latest
  actor named before whose name ended in it ("the Quds Force ... The Force expanded ...").

resolve() runs once the registry's mentions are assigned to the sentences: what it finds is added
to `sentence.mentions` (kept sorted, never overlapping another) and listed in `sentence.resolved`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..actors import Mention, Registry
from ..errors import InputError
from ..model import ACTOR_KINDS
from .sentences import Sentence

COREF_PATH = Path(__file__).with_name("coref.yaml")
_KEYS = {"window", "modifiers", "descriptions", "not_followed_by", "title_prefixes", "titles", "name_heads",
         "speaker_nouns"}
_DESCRIPTION_KEYS = {"nouns", "kinds"}


@dataclass(frozen=True)
class Coref:
    window: int
    kinds: dict[str, frozenset[str]]   # description noun -> the actor kinds it may stand for
    titles: dict[str, str]             # title (lower case, single spaces) -> actor id
    description_rx: re.Pattern
    title_rx: re.Pattern
    completed_rx: re.Pattern           # what, right after a description or title, completes it
    head_rx: re.Pattern                # "the Force", "the Council": a name's last word standing for it
    speaker_rx: re.Pattern             # right after a name: "a Hamas spokesperson", "Hezbollah officials"

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Coref":
        """coref.yaml (or `path`), checked: an unknown key is an InputError naming file and key."""
        path = Path(path or COREF_PATH)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot read: {exc}") from None
        except yaml.YAMLError as exc:
            raise InputError(path, f"not valid YAML ({exc})") from None
        if not isinstance(data, dict):
            raise InputError(path, "expected a mapping")
        _known(path, data, _KEYS, "")
        window = data.get("window", 3)
        if not isinstance(window, int) or isinstance(window, bool) or window < 0:
            raise InputError(path, "must be a whole number >= 0", field="window")
        kinds: dict[str, frozenset[str]] = {}
        for i, entry in enumerate(data.get("descriptions") or []):
            where = f"descriptions[{i}]"
            if not isinstance(entry, dict):
                raise InputError(path, "expected a mapping with nouns and kinds", field=where)
            _known(path, entry, _DESCRIPTION_KEYS, where + ".")
            entry_kinds = _words(path, entry, "kinds", where)
            wrong = [k for k in entry_kinds if k not in ACTOR_KINDS]
            if wrong:
                raise InputError(path, f"'{wrong[0]}' is not one of {', '.join(ACTOR_KINDS)}",
                                 field=where + ".kinds")
            for noun in _words(path, entry, "nouns", where):
                kinds[noun] = kinds.get(noun, frozenset()) | frozenset(entry_kinds)
        titles = data.get("titles") or {}
        if not isinstance(titles, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                   for k, v in titles.items()):
            raise InputError(path, "expected a mapping of title to actor id", field="titles")
        modifiers = _alternatives(_words(path, data, "modifiers", ""))
        prefixes = _alternatives(_words(path, data, "title_prefixes", ""))
        completing = _alternatives(_words(path, data, "not_followed_by", ""))
        # the noun in lower case only: "the Movement for Democratic Change" is a name
        description_rx = re.compile(rf"(?<![\w-])(?i:the|this|that)\s+(?P<np>(?:(?i:{modifiers})\s+)*"
                                    rf"(?P<noun>{_alternatives(kinds)}))(?![\w-])")
        title_rx = re.compile(rf"(?<![\w-])(?:(?:{prefixes})\s+)?(?P<title>{_alternatives(titles)})(?![\w-])",
                              re.IGNORECASE)
        # a name ("the group Hamas", "Secretary of State Rice", "the group al-Qaeda"), "of"/"in" and
        # a name ("the regime in Tehran"), or a listed word ("the government of", "regime change")
        completed_rx = re.compile(rf"\s*(?:[A-Z“\"‘'(\[]|al-|(?:in|of)\s+[A-Z]|(?:{completing})(?![\w-]))")
        heads = _alternatives(_words(path, data, "name_heads", ""))
        head_rx = re.compile(rf"(?<![\w-])(?i:the)\s+(?P<head>{heads})(?![\w-])")
        speaker_rx = re.compile(rf"\s+(?:{_alternatives(_words(path, data, 'speaker_nouns', ''))})(?![\w-])",
                                re.IGNORECASE)
        return cls(window, kinds, {_key(t): a for t, a in titles.items()}, description_rx, title_rx, completed_rx,
                   head_rx, speaker_rx)

    # ------------------------------------------------------------------ resolving

    def resolve(self, sentences: list[Sentence], registry: Registry) -> None:
        """Adds the titles' and the descriptions' mentions to each sentence, in document order,
        so that a resolved "the group" counts for the next one."""
        for s in sentences:
            for find in (self._titles, self._descriptions, self._name_heads):
                found = find(s, sentences, registry)
                s.mentions = sorted(s.mentions + found, key=lambda m: m.start)
                s.resolved = sorted(s.resolved + found, key=lambda m: m.start)

    def _titles(self, s: Sentence, sentences: list[Sentence], registry: Registry) -> list[Mention]:
        out = []
        for match in self.title_rx.finditer(s.text):
            actor_id = self.titles.get(_key(match.group("title")))
            if actor_id in registry and self._alone(s, match.start(), match.end()):
                out.append(Mention(actor_id, match.start(), match.end(), match.group(0)))
        return out

    def _descriptions(self, s: Sentence, sentences: list[Sentence], registry: Registry) -> list[Mention]:
        out = []
        for match in self.description_rx.finditer(s.text):
            start, end = match.span("np")
            if self._alone(s, start, end):
                kinds = self.kinds[match.group("noun")]
                actor_id = None
                if match.group(0)[:4].lower() in ("this", "that"):
                    # "KH has ties to Hezbollah and may have received support from that group": a
                    # demonstrative points to the latest fitting name of its sentence, not the first
                    before = [m.actor_id for m in s.mentions if m.end <= start]
                    actor_id = next((a for a in reversed(before[1:]) if registry.get(a).kind in kinds
                                     and a != before[0]), None)
                actor_id = actor_id or self._antecedent(s, sentences, start, kinds, registry)
                if actor_id:
                    out.append(Mention(actor_id, start, end, match.group("np")))
        return out

    def _name_heads(self, s: Sentence, sentences: list[Sentence], registry: Registry) -> list[Mention]:
        """"The Force expanded its operations", "the Council imposed an embargo": a name's last word,
        capitalised, standing for the latest actor named before (window) whose name ended in it."""
        out = []
        for match in self.head_rx.finditer(s.text):
            start, end = match.span("head")
            if not self._alone(s, match.start(), end):
                continue
            head = match.group("head").lower()
            before = [m for other in sentences[max(0, s.index - self.window):s.index]
                      if other.paragraph >= s.paragraph - 1 for m in other.mentions]
            before += [m for m in s.mentions if m.end <= match.start()]
            named = [m.actor_id for m in before if m.text.split()[-1].lower() == head]
            if named:
                out.append(Mention(named[-1], start, end, match.group("head")))
        return out

    def _alone(self, s: Sentence, start: int, end: int) -> bool:
        """No mention overlaps the span, none follows it right away, nor anything that completes it."""
        after = end + len(s.text[end:]) - len(s.text[end:].lstrip())
        return not any(m.start < end and start < m.end or m.start == after for m in s.mentions) and \
            self.completed_rx.match(s.text, end) is None

    def _antecedent(self, s: Sentence, sentences: list[Sentence], at: int, kinds: frozenset[str],
                    registry: Registry) -> str | None:
        """Of the fitting actors named in the window before (and speakers' names in this sentence), the
        most often named (of equals, the first named), leaving out the others this sentence names before
        the description."""
        # (but "A Hamas spokesperson said the group ...": a name qualifying its speaker may be meant)
        speakers = [m.actor_id for m in s.mentions if m.end <= at and self.speaker_rx.match(s.text, m.end)]
        here = {m.actor_id for m in s.mentions if m.end <= at} - set(speakers)
        if kinds == {"state"}:
            # "Qatar talks with Iran, but the country hosts U.S. forces", "Pakistan's chief denied that the
            # country supports X": a state's description refers back to the first state its sentence names
            states = [m.actor_id for m in s.mentions if m.end <= at and registry.get(m.actor_id).kind == "state"
                      and not _DEMONYM.search(m.text)]  # a name, not an adjective ("Dutch intelligence")
            if states:
                return states[0]
        named = [m.actor_id for other in sentences[max(0, s.index - self.window):s.index]
                 if other.paragraph >= s.paragraph - 1 for m in other.mentions
                 if m.actor_id not in here and registry.get(m.actor_id).kind in kinds]
        named += [a for a in speakers if registry.get(a).kind in kinds]
        return max(dict.fromkeys(named), key=lambda a: (named.count(a), -named.index(a)), default=None)


def resolve(sentences: list[Sentence], registry: Registry, coref: Coref | None = None) -> None:
    """The pipeline's step: coref.yaml's descriptions and titles added to the sentences' mentions."""
    (coref or shipped()).resolve(sentences, registry)


@lru_cache(maxsize=1)
def shipped() -> Coref:
    return Coref.load()


_DEMONYM = re.compile(r"(?:ish|ese|ian|ean|ch|i)$")


def _key(title: str) -> str:
    return re.sub(r"\s+", " ", title.strip()).lower()


def _alternatives(words) -> str:
    """A regex alternation, longest first, any space matching a run of spaces; "(?!)" for none."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _known(path, data: dict, keys: set[str], where: str) -> None:
    for key in data:
        if key not in keys:
            raise InputError(path, f"unknown key (expected one of {', '.join(sorted(keys))})", field=f"{where}{key}")


def _words(path, data: dict, key: str, where: str) -> list[str]:
    words = data.get(key) or []
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise InputError(path, "must be a list of words", field=f"{where}.{key}" if where else key)
    return [w.strip() for w in words]
