"""The learned scorer: its model file, the candidate pairs and features it reads, and its training."""
from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

from graph.actors import Registry
from graph.errors import GraphctlError
from graph.extraction import Extractor
from graph.extraction.features import actor_spans, pair_candidates
from graph.extraction.frames import _Context
from graph.extraction.scorer import MODEL_PATH, Scorer
from graph.extraction.sentences import split_sentences
from graph.model import PREDICATES, Document

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "tests" / "data" / "extraction" / "registry.yaml"


def tiny_model(threshold=0.5) -> dict:
    return {"predicates": {"TRAINED": {"intercept": -2.0, "threshold": threshold,
                                       "weights": {"pt=TRAINED": 3.0, "kk=state>armed_group": 0.5}}}}


def test_probability_is_the_logistic_of_the_weighted_features():
    scorer = Scorer.from_dict(tiny_model())
    assert scorer.scores({"pt=TRAINED"})["TRAINED"] == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert scorer.scores({"pt=TRAINED", "kk=state>armed_group", "unknown"})["TRAINED"] == \
        pytest.approx(1 / (1 + math.exp(-1.5)))
    assert scorer.accepted({"pt=TRAINED"}) == {"TRAINED": pytest.approx(0.731, abs=1e-3)}
    assert scorer.accepted(set()) == {}  # 0.12 is under the threshold


def test_the_version_follows_the_model():
    assert Scorer.from_dict(tiny_model(0.5)).version == Scorer.from_dict(tiny_model(0.5)).version
    assert Scorer.from_dict(tiny_model(0.5)).version != Scorer.from_dict(tiny_model(0.6)).version


@pytest.mark.parametrize("data", [{}, {"predicates": {"TRAINED": {"weights": {}}}},
                                  {"predicates": {"TRAINED": {"intercept": "x", "threshold": 1, "weights": {}}}}])
def test_a_bad_model_is_a_graphctl_error(data):
    with pytest.raises(GraphctlError):
        Scorer.from_dict(data)


def test_an_unreadable_model_file_is_one_line(tmp_path):
    path = tmp_path / "scorer.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(GraphctlError) as info:
        Scorer.load(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_the_shipped_model_names_known_predicates_with_thresholds():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["predicates"] and set(data["predicates"]) <= set(PREDICATES)
    for model in data["predicates"].values():
        assert 0 < model["threshold"] <= 1 and model["weights"]
    assert Scorer.load().models


@pytest.fixture(scope="module")
def parsed():
    """A context over one parsed sentence, as the extractor builds it."""
    extractor = Extractor(Registry.from_yaml(REGISTRY), scorer=None)
    text = "Iran trained Hezbollah fighters in Lebanon."
    sentence = split_sentences(text)[0]
    extractor._assign([sentence], extractor.registry.find_mentions(text))
    doc = next(iter(extractor._parse([sentence.text])))
    return extractor, _Context(extractor, sentence, doc, [sentence])


def test_candidates_are_every_ordered_pair_of_two_actors(parsed):
    extractor, ctx = parsed
    assert [span[0] for span in actor_spans(ctx)] == ["iran", "hezbollah"]
    pairs = pair_candidates(ctx, extractor._kind, extractor.registry.ancestors, {("iran", "TRAINED", "hezbollah")})
    assert {(c.subject, c.object) for c in pairs} == {("iran", "hezbollah"), ("hezbollah", "iran")}
    forward = next(c for c in pairs if c.subject == "iran")
    # the actors' kinds, the trigger on the path between them, the frames' proposal, the roles under the trigger
    assert {"kk=state>armed_group", "pt=TRAINED", "rule=TRAINED", "fl=train|nsubj|dobj"} <= forward.features
    backward = next(c for c in pairs if c.subject == "hezbollah")
    assert "rule_rev=TRAINED" in backward.features and "rule=TRAINED" not in backward.features
    assert forward.anchor.lemma_ == "train"


def test_the_scorer_adds_a_pair_no_frame_proposed(parsed):
    extractor, _ = parsed
    scorer = Scorer.from_dict({"predicates": {"HOSTED": {"intercept": -1.0, "threshold": 0.5,
                                                         "weights": {"kk=state>armed_group": 3.0}}}})
    claims = Extractor(extractor.registry, scorer=scorer).extract(Document("d.txt", "Iran trained Hezbollah fighters."))
    made = {(c.subject, c.predicate, c.object, c.rule) for c in claims}
    assert ("iran", "HOSTED", "hezbollah", "HOSTED.scorer") in made
    assert ("iran", "TRAINED", "hezbollah", "TRAINED.active") in made  # the frame's claim stays
    hosted = next(c for c in claims if c.predicate == "HOSTED")
    assert hosted.confidence == pytest.approx(0.88, abs=0.01)  # the model's probability


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn (the train extra) is missing")
def test_training_is_deterministic_and_leaves_weak_predicates_to_the_frames():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import train_scorer

    records, labels = [], {p: [] for p in PREDICATES}
    for part in "abcd":
        for i in range(30):
            positive = i % 3 == 0
            records.append((f"{part}{i:03d}", 0, 10, "iran", "hezbollah",
                            sorted({"pt=TRAINED" if positive else "pt=OTHER", f"noise={i % 5}"})))
            for p in PREDICATES:
                labels[p].append(int(positive and p == "TRAINED"))
    first = train_scorer.fit(records, labels)
    assert first == train_scorer.fit(records, labels)
    assert set(first["predicates"]) == {"TRAINED"}  # the others have no positives
    model = first["predicates"]["TRAINED"]
    assert model["weights"]["pt=TRAINED"] > 0 > model["weights"].get("pt=OTHER", 0)
