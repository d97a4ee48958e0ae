"""A faster stand-in for spaCy's attribute_ruler, with the same output.

The English models' attribute_ruler maps tags to coarse POS, morphology and some
lemmas with ~180 Matcher patterns, and costs about a quarter of the parse of a
sentence. Its patterns are single tokens (a few are two) on TAG, LOWER, DEP and
IS_SPACE, so they are indexed here by their literal LOWER or TAG and the rest are
tried on every token. The matches are applied as the ruler applies them: all found
first, then set in pattern order, a later pattern overriding an earlier one.
"""
from __future__ import annotations

import re

from spacy.tokens._retokenize import set_token_attrs

_TOKEN_KEYS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}


def _test(key: str, value):
    """A test of one token attribute, as the Matcher reads a pattern's value."""
    attr = _TOKEN_KEYS[key]
    if isinstance(value, dict):
        (op, arg), = value.items()
        if op == "IN":
            allowed = set(arg)
            return lambda t: getattr(t, attr) in allowed
        if op == "NOT_IN":
            banned = set(arg)
            return lambda t: getattr(t, attr) not in banned
        if op == "REGEX":
            rx = re.compile(arg)
            return lambda t: rx.search(getattr(t, attr)) is not None
        raise ValueError(f"unsupported operator {op}")
    return lambda t: getattr(t, attr) == value


class FastAttributeRuler:
    """Built from a loaded AttributeRuler; call it on a parsed Doc instead of the ruler."""

    def __init__(self, ruler):
        self.attrs = ruler.attrs
        self.indices = ruler.indices
        self.by_lower: dict[str, list] = {}
        self.by_tag: dict[str, list] = {}
        self.always: list = []
        for number, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if not all(key in _TOKEN_KEYS for token in pattern for key in token):
                    raise ValueError(f"attribute_ruler pattern {number} uses keys this ruler cannot read")
                tests = [[_test(key, value) for key, value in token.items()] for token in pattern]
                candidate = (number, tests)
                first = pattern[0]
                if isinstance(first.get("LOWER"), str):
                    self.by_lower.setdefault(first["LOWER"], []).append(candidate)
                elif isinstance(first.get("TAG"), str):
                    self.by_tag.setdefault(first["TAG"], []).append(candidate)
                else:
                    self.always.append(candidate)

    def __call__(self, doc):
        matches = []
        n = len(doc)
        for token in doc:
            i = token.i
            for number, tests in (*self.by_lower.get(token.lower_, ()), *self.by_tag.get(token.tag_, ()),
                                  *self.always):
                end = i + len(tests)
                if end <= n and all(test(doc[j]) for j, token_tests in zip(range(i, end), tests)
                                    for test in token_tests):
                    matches.append((number, i, end))
        matches.sort()
        for number, start, end in matches:
            set_token_attrs(doc[start:end][self.indices[number]], self.attrs[number])
        return doc
