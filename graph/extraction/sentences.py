"""Sentences, quotations and the mentions in them: the cheap first step, before any parse."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import yaml

from ..actors import Mention

# --------------------------------------------------------------------------- sentences

_WORDS = re.compile(r"[a-z’']+")
# (citation marks may follow the full stop: "...in 1982.[9][10] Its leaders ...")
_CITATION = r"\[(?:\d+|[a-z]|citation needed|note \d+)\]"
_BOUNDARY = re.compile(rf"[.!?…]+[\"”’')\]]*(?:{_CITATION})*\s+(?=[\"“‘'(\[]?[A-Z0-9–—-])")


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    mentions: list[Mention] = field(default_factory=list)  # offsets relative to the sentence
    paragraph_quoted: bool = False  # the paragraph holds a quotation mark
    resolved: list[Mention] = field(default_factory=list)  # those of `mentions` coref added ("the group")
    topic: str | None = None  # the actor it opens on, its subject (set as extraction reads it)


@functools.lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """The words ending in a period that end no sentence (rules.yaml's `abbreviations`)."""
    from .rules import RULES_PATH, _RulesLoader  # YAML without yes/no booleans: "no" is an abbreviation

    data = yaml.load(RULES_PATH.read_text(encoding="utf-8"), Loader=_RulesLoader) or {}
    return frozenset(str(w).lower() for w in data.get("abbreviations") or [])


def split_sentences(text: str) -> list[Sentence]:
    """Paragraphs (lines) cut at sentence ends; offsets are into `text`."""
    sentences: list[Sentence] = []
    for paragraph, line in enumerate(re.finditer(r"[^\n]+", text)):
        base, chunk = line.start(), line.group(0)
        cuts, last = [], 0
        for match in _BOUNDARY.finditer(chunk):
            before = chunk[last:match.start() + 1]
            word = re.search(r"([\w.]+)\.$", before)
            if word and (word.group(1).lower().rstrip(".") in abbreviations()
                         or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word.group(1))):
                continue
            cuts.append(match.end())
            last = match.end()
        bounds = [0, *cuts, len(chunk)]
        quoted = "“" in chunk or "\"" in chunk or "”" in chunk
        for a, b in zip(bounds, bounds[1:]):
            piece = chunk[a:b]
            stripped = piece.strip()
            if not stripped:
                continue
            start = base + a + (len(piece) - len(piece.lstrip()))
            sentences.append(Sentence(len(sentences), start, start + len(stripped), stripped, paragraph,
                                      paragraph_quoted=quoted))
    return sentences


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks, over a paragraph: “...”, "..." ; an unclosed quote runs to the end."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        chunk, base = line.group(0), line.start()
        i, n = 0, len(chunk)
        while i < n:
            c = chunk[i]
            if c in "“\"":
                closer = "”" if c == "“" else "\""
                j = chunk.find(closer, i + 1)
                if c == "“" and j < 0:
                    j2 = chunk.find("\"", i + 1)
                    j = j2
                end = j if j >= 0 else n
                spans.append((base + i + 1, base + end))
                i = end + 1
            else:
                i += 1
    return spans


# --------------------------------------------------------------------------- raw relations


def _drop_parenthetical_repeats(s: Sentence) -> list[Mention]:
    """"Islamic Revolutionary Guards (IRGC)": the bracketed repeat of the same actor is dropped."""
    kept: list[Mention] = []
    for m in s.mentions:
        if kept and kept[-1].actor_id == m.actor_id and re.fullmatch(r"['’]?s?\s*\(\s*", s.text[kept[-1].end:m.start]):
            continue
        kept.append(m)
    return kept


# --------------------------------------------------------------------------- one parsed sentence

