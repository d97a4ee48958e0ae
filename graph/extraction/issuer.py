"""Who issued a document: the government or international body its source's outlet names.

Official texts speak for their issuer without naming it: a UK Home Office order says "we"
and "the Government", a Canadian debate speaks of "the listing of the Quds Force", a
Security Council notice says "X was listed on ...". The issuer stands in for those
unnamed agents (rules.yaml `issuer`). A newsroom, an encyclopedia or an outlet naming no
registry body issues nothing, and nothing is inferred.
"""
from __future__ import annotations

import re

_PARENTHESES = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[a-z]+")


def issuer_of(outlet: str | None, registry, rules) -> str | None:
    """The registry actor that issued a document from `outlet`, or None."""
    spec = rules.issuer
    if not outlet or not spec:
        return None
    own = _PARENTHESES.sub(lambda m: "" if _is_carrier(m.group(1), spec) else f"({m.group(1)})", outlet)
    if set(_WORD.findall(own.lower())) & set(spec.get("news_words", ())):
        return None
    kinds = set(spec.get("kinds", ()))
    mentions = [m for m in registry.find_mentions(own)
                if registry.get(m.actor_id) is not None and registry.get(m.actor_id).kind in kinds]
    if not mentions:
        return None
    # the longest name is the most precise: "U.S. Department of State" over "U.S."
    return max(mentions, key=lambda m: (m.end - m.start, -m.start)).actor_id


def _is_carrier(text: str, spec: dict) -> bool:
    """A parenthesis saying who carried the text ("via X", "quoted by X"), not who issued it."""
    words = _WORD.findall(text.lower())
    return bool(words) and words[0] in set(spec.get("carrier_words", ()))


__all__ = ["issuer_of"]
