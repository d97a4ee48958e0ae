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

from spacy import attrs as spacy_attrs
from spacy.tokens._retokenize import set_token_attrs

# The keys the patterns use, in the order patterns are indexed by (the most selective first).
KEYS = ("LOWER", "TAG", "DEP", "IS_SPACE")


class FastAttributeRuler:
    """Built from a loaded AttributeRuler; call it on a parsed Doc instead of the ruler.
    Tokens are read as one array of string ids (Doc.to_array), not as Token objects."""

    def __init__(self, ruler):
        self.attrs = ruler.attrs
        self.indices = ruler.indices
        self.strings = ruler.vocab.strings
        self.columns = [getattr(spacy_attrs, key) for key in KEYS]
        # each pattern is filed under one key and the ids its first token may have there
        self.index: list[dict] = [{} for _ in KEYS]
        self.always: list = []
        for number, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if not all(key in KEYS for token in pattern for key in token):
                    raise ValueError(f"attribute_ruler pattern {number} uses keys this ruler cannot read")
                tests = [[(KEYS.index(key), self._test(value)) for key, value in token.items()] for token in pattern]
                candidate = (number, tests)
                filed = next(((k, ids) for k, key in enumerate(KEYS) if key in pattern[0]
                              for ids in [self._index_ids(pattern[0][key])] if ids is not None), None)
                if filed is None:
                    self.always.append(candidate)
                else:
                    k, ids = filed
                    for value in ids:
                        self.index[k].setdefault(value, []).append(candidate)

    def _id(self, value) -> int:
        return int(value) if isinstance(value, bool) else self.strings[value]

    def _index_ids(self, value) -> list | None:
        """The ids a pattern's first token may have for one key, where the pattern says."""
        if isinstance(value, (str, bool)):
            return [self._id(value)]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return [self._id(v) for v in value["IN"]]
        return None

    def _test(self, value):
        """A test of a token's id for one key, as the Matcher reads the pattern's value."""
        if not isinstance(value, dict):
            wanted = self._id(value)
            return lambda v: v == wanted
        (op, arg), = value.items()
        if op == "IN":
            allowed = {self._id(v) for v in arg}
            return lambda v: v in allowed
        if op == "NOT_IN":
            banned = {self._id(v) for v in arg}
            return lambda v: v not in banned
        if op == "REGEX":
            rx, seen = re.compile(arg), {}

            def search(v):
                if v not in seen:
                    seen[v] = rx.search(self.strings[v]) is not None
                return seen[v]
            return search
        raise ValueError(f"unsupported operator {op}")

    def __call__(self, doc):
        rows = doc.to_array(self.columns).tolist()
        n = len(rows)
        matches = []
        for i, row in enumerate(rows):
            candidates = [c for table, value in zip(self.index, row) for c in table.get(value, ())] + self.always
            for number, tests in candidates:
                end = i + len(tests)
                if end <= n and all(test(rows[j][k]) for j, token_tests in zip(range(i, end), tests)
                                    for k, test in token_tests):
                    matches.append((number, i, end))
        matches.sort()
        for number, start, end in dict.fromkeys(matches):
            set_token_attrs(doc[start:end][self.indices[number]], self.attrs[number])
        return doc
