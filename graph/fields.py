"""A claim's stored fields, declared once: the Claim properties of graph/schema.yaml.

Every row a claim is written as (the stores' UNWIND statements, the embedded store's COPY,
the import files of graph/bulk.py) is `claim_row`'s, and every list of stored claim fields
(the statements' property maps, the views' query) is built from CLAIM_FIELDS. A column is
the Claim attribute of its name unless _DERIVED says how it is made; a column that is
neither is refused when this module is loaded, naming it.
"""
from __future__ import annotations

import dataclasses
import functools
import operator
import re
from typing import Callable

from .backends import SCHEMA
from .model import Claim

CLAIM_FIELDS = tuple(SCHEMA["nodes"]["Claim"]["properties"])
# The typed actor-to-actor edge's properties, each with the claim row's key it takes its value
# from: the edge's claim_id is the claim's id, the rest share the claim's names.
EDGE_FROM_CLAIM = {prop: "id" if prop == "claim_id" else prop for prop in SCHEMA["claim_edge"]["properties"]}
EDGE_FIELDS = tuple(EDGE_FROM_CLAIM.values())
DOCUMENT_FIELDS = tuple(SCHEMA["nodes"]["Document"]["properties"])
LINK_FIELDS = tuple(SCHEMA["nodes"]["Link"]["properties"])


@functools.lru_cache(maxsize=4096)  # few distinct `when` strings recur over many claims
def year_range(when: str | None) -> tuple[int | None, int | None]:
    """The years a `when` spans, where its words say so: '1990s' -> (1990, 1999),
    '1992-1995', 'after 2001' -> (2001, None), 'since at least 2009'; (None, None) otherwise."""
    if not when:
        return None, None
    text = when.lower()
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:
        return None, None
    decades = _DECADE.findall(text)
    low, high = min(years), max(years)
    if decades:
        high = max(high, max(int(d) + 9 for d in decades))
    if _FROM.search(text) and len(set(years)) == 1 and not decades:
        return low, None
    if _UNTIL.search(text) and len(set(years)) == 1:
        return None, high
    return low, high


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")
_DECADE = re.compile(r"\b(1[89]\d0|20\d0)s\b")
_FROM = re.compile(r"\b(after|since|from|onwards|beginning)\b")
_UNTIL = re.compile(r"\b(before|until|up to|prior to)\b")

# The columns that are not a Claim attribute of the same name.
_DERIVED: dict[str, Callable[[Claim], object]] = {
    "time": operator.attrgetter("when"),  # WHEN is a Cypher keyword
    "time_from": lambda claim: year_range(claim.when)[0],
    "time_to": lambda claim: year_range(claim.when)[1],
    "start_char": operator.attrgetter("start"),  # START and END are Cypher keywords
    "end_char": operator.attrgetter("end"),
    "confidence": lambda claim: float(claim.confidence),  # an int from a claims file is stored as DOUBLE
}


def _claim_attributes() -> set[str]:
    return {f.name for f in dataclasses.fields(Claim)} | {
        name for name, value in vars(Claim).items() if isinstance(value, property)}


def _column_getters() -> tuple[tuple[str, Callable[[Claim], object]], ...]:
    """Each stored column with how a claim gives it, checked against schema.yaml both ways."""
    unknown = [name for name in CLAIM_FIELDS if name not in _DERIVED and name not in _claim_attributes()]
    if unknown:
        raise ValueError(f"schema.yaml: Claim properties {', '.join(unknown)} are neither Claim attributes "
                         "nor derived in graph/fields.py")
    stale = sorted(set(_DERIVED) - set(CLAIM_FIELDS))
    if stale:
        raise ValueError(f"graph/fields.py derives {', '.join(stale)}, which schema.yaml's Claim lacks")
    return tuple((name, _DERIVED.get(name) or operator.attrgetter(name)) for name in CLAIM_FIELDS)


_GETTERS = _column_getters()


def claim_row(claim: Claim) -> dict:
    """A claim as the row its Cypher writes: every stored field present, so UNWIND batches stay uniform."""
    return {name: get(claim) for name, get in _GETTERS}


def cypher_properties(properties: dict[str, str], row: str = "r") -> str:
    """A Cypher property map's inside, each property from the row's key: `id: r.id, ...`."""
    return ", ".join(f"{prop}: {row}.{key}" for prop, key in properties.items())


def cypher_returns(fields, node: str) -> str:
    """A RETURN list of a node's fields under their own names: `c.id AS id, ...`."""
    return ", ".join(f"{node}.{name} AS {name}" for name in fields)


CLAIM_PROPERTIES = cypher_properties({name: name for name in CLAIM_FIELDS})
EDGE_PROPERTIES = cypher_properties(EDGE_FROM_CLAIM)
