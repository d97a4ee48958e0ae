"""graph.attributes: the fast attribute ruler sets exactly what spaCy's does."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.actors import Registry
from graph.attributes import FastAttributeRuler
from graph.extraction import Extractor, split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Odd tokens the ruler has special patterns for: contractions, "gonna", spaces, "there is".
ODD = ["They ain't gonna stop, y'all know it.", "Let's see:  there's nothin' to it, c'mon.",
       "It gets worse; he got it and didn't give it to me.", "I'd have said so if I'd known."]


@pytest.fixture(scope="module")
def nlp():
    return Extractor(Registry([])).nlp


def _attributes(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_the_fast_ruler_matches_spacys_on_real_text(nlp):
    texts = ODD + [s.text for path in sorted(SEEDS.glob("*.txt"))
                   for s in split_sentences(path.read_text(encoding="utf-8"))]
    fast = FastAttributeRuler(nlp.get_pipe("attribute_ruler"))
    lemmatizer = nlp.get_pipe("lemmatizer")
    reference = nlp.pipe(texts, disable=["ner"])
    ours = nlp.pipe(texts, disable=["ner", "attribute_ruler", "lemmatizer"])
    compared = 0
    for expected, doc in zip(reference, ours):
        assert _attributes(lemmatizer(fast(doc))) == _attributes(expected), expected.text
        compared += len(doc)
    assert compared > 5000


def test_a_pattern_it_cannot_read_is_refused(nlp):
    class Ruler:
        patterns = [{"patterns": [[{"SHAPE": "Xxx"}]], "attrs": {"POS": "X"}, "index": 0}]
        attrs, indices, vocab = [{}], [0], nlp.vocab

    with pytest.raises(ValueError):
        FastAttributeRuler(Ruler())
