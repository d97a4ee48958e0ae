"""A relation a frame finds in one sentence, before attribution makes it a claim."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Raw:
    subject: str
    predicate: str
    object: str
    rule: str
    anchor: object = None        # the trigger token (spaCy) or None for surface rules
    negated: bool = False
    hedged: bool = False
    speaker: str | None = None   # forced speaker (denials), else computed
    char: int = 0                # a character offset in the sentence (for quote lookup)
    pronoun: bool = False
    score: float | None = None   # the learned scorer's probability, where it made the claim


__all__ = ["Raw"]
