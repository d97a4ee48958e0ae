"""The shipped Cypher files (cypher/*.cypher): found by name, described by their header.

Each file opens with a comment header:

    // What it answers, in a sentence or two.
    // Parameters:
    //   actor: an actor id (default: iran)

Every file runs unchanged on LadybugDB and on Neo4j, so it keeps to the Cypher
both engines share (no type(r), no list comprehensions, no map projections).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QueryError
from .model import PREDICATE_LISTS

QUERY_DIRS = (Path(__file__).parent.parent / "cypher", Path(__file__).parent / "_shipped" / "cypher")
_PARAMETER = re.compile(r"^\s*(\w+)\s*:\s*(.*?)\s*(?:\(default:\s*(.*?)\))?\s*$")


@dataclass
class ShippedQuery:
    name: str
    path: Path
    description: str
    text: str
    parameters: dict[str, str] = field(default_factory=dict)  # name -> what it is
    defaults: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> "ShippedQuery":
        text = path.read_text(encoding="utf-8")
        description, parameters, defaults = [], {}, {}
        in_parameters = False
        for line in text.splitlines():
            if not line.startswith("//"):
                break
            content = line[2:].strip()
            if content.lower().startswith("parameters"):
                in_parameters = True
                continue
            if in_parameters:
                match = _PARAMETER.match(content)
                if match:
                    name, what, default = match.groups()
                    parameters[name] = what
                    if default == "predicates.yaml":  # a list derived from graph/predicates.yaml
                        defaults[name] = PREDICATE_LISTS[name]
                    elif default is not None:
                        defaults[name] = parse_value(default)
            elif content:
                description.append(content)
        return cls(path.stem, path, " ".join(description), text, parameters, defaults)

    def bind(self, given: dict) -> dict:
        """The parameters to run with: defaults, overridden by what was given; all must be known."""
        unknown = set(given) - set(self.parameters)
        if unknown:
            raise QueryError(f"{self.name} takes no parameter {', '.join(sorted(unknown))}"
                             f" (it takes: {', '.join(self.parameters) or 'none'})")
        params = {**self.defaults, **given}
        missing = [p for p in self.parameters if p not in params]
        if missing:
            raise QueryError(f"{self.name} needs -p {missing[0]} VALUE ({self.parameters[missing[0]]})")
        return params


def parse_value(text: str):
    """A parameter value: JSON when it parses (numbers, true, lists), else the string itself."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, ValueError, RecursionError):
        return text.strip().strip('"')
    _check_integers(value, text)
    return value


INT64 = range(-2**63, 2**63)


def _check_integers(value, text: str):
    """Both engines take 64-bit integers; a larger one would fail inside the driver."""
    if isinstance(value, int) and value not in INT64:
        raise QueryError(f"parameter value {text[:40]} does not fit in 64 bits")
    for item in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
        _check_integers(item, text)


def shipped_queries() -> dict[str, ShippedQuery]:
    for folder in QUERY_DIRS:
        if folder.is_dir():
            return {p.stem: ShippedQuery.from_file(p) for p in sorted(folder.glob("*.cypher"))}
    return {}


def resolve(text_or_name: str) -> tuple[str, ShippedQuery | None]:
    """A shipped query by name, a .cypher file by path, or Cypher text as given."""
    queries = shipped_queries()
    if text_or_name in queries:
        return queries[text_or_name].text, queries[text_or_name]
    path = Path(text_or_name)
    if text_or_name.endswith(".cypher"):
        if not path.is_file():
            raise QueryError(f"no query file {text_or_name}; `graphctl queries` lists the shipped ones")
        query = ShippedQuery.from_file(path)
        return query.text, query
    if re.fullmatch(r"[\w-]+", text_or_name) and not re.match(r"(?i)^(match|return|call|show)$", text_or_name):
        raise QueryError(f"no shipped query named '{text_or_name}'; `graphctl queries` lists them")
    return text_or_name, None


def strip_comments(cypher: str) -> str:
    """Without whole-line // comments, which EXPLAIN and some engines dislike in front."""
    return "\n".join(line for line in cypher.splitlines() if not line.lstrip().startswith("//")).strip()
