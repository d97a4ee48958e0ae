"""Scoring extracted claims against gold: exact counts on tiny lists, and floors on the seeds."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.claimsio import read_claims
from graph.evaluation import EvaluationReport, Scores, contested_link_keys, evaluate
from graph.model import Claim

ROOT = Path(__file__).parents[1]
GOLD = ROOT / "tests" / "data" / "gold.claims.jsonl"
SEEDS = ROOT / "seeds"


def claim(subject, predicate, obj, polarity="affirms", said_by="author", doc="a.txt", **extra) -> Claim:
    return Claim(doc=doc, subject=subject, predicate=predicate, object=obj, polarity=polarity,
                 said_by=said_by, **extra)


# --------------------------------------------------------------------------- tiny lists

def test_exact_counts():
    gold = [claim("iran", "TRAINED", "al-qaeda"), claim("iran", "HOSTED", "al-qaeda"),
            claim("irgc", "PART_OF", "iran")]
    predicted = [claim("iran", "TRAINED", "al-qaeda"), claim("iran", "SUPPORTED", "al-qaeda")]
    report = evaluate(gold, predicted)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 1, 2)
    assert report.overall.precision == 0.5
    assert report.overall.recall == pytest.approx(1 / 3, abs=1e-4)
    assert report.overall.f1 == pytest.approx(0.4, abs=1e-4)
    assert (report.without_part_of.tp, report.without_part_of.fp, report.without_part_of.fn) == (1, 1, 1)
    assert report.per_predicate["TRAINED"] == Scores(1, 0, 0, 1.0, 1.0, 1.0)
    assert report.per_predicate["SUPPORTED"].fp == 1 and report.per_predicate["HOSTED"].fn == 1
    assert report.false_positives == [("a.txt", "iran", "SUPPORTED", "al-qaeda", "affirms")]
    assert ("a.txt", "irgc", "PART_OF", "iran", "affirms") in report.false_negatives


def test_cooperated_with_is_symmetric_but_other_predicates_are_not():
    gold = [claim("iran", "COOPERATED_WITH", "al-qaeda"), claim("iran", "TRAINED", "al-qaeda")]
    predicted = [claim("al-qaeda", "COOPERATED_WITH", "iran"), claim("al-qaeda", "TRAINED", "iran")]
    report = evaluate(gold, predicted)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 1, 1)
    assert report.per_predicate["COOPERATED_WITH"].tp == 1


def test_polarity_and_doc_are_part_of_the_tuple():
    gold = [claim("iran", "SUPPORTED", "al-qaeda", "denies")]
    predicted = [claim("iran", "SUPPORTED", "al-qaeda", "affirms"),
                 claim("iran", "SUPPORTED", "al-qaeda", "denies", doc="b.txt")]
    report = evaluate(gold, predicted)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (0, 2, 1)
    assert (report.denials.tp, report.denials.fp, report.denials.fn) == (0, 1, 1)


def test_attributes_are_scored_on_matched_tuples_only():
    gold = [claim("iran", "TRAINED", "al-qaeda", said_by="saeed-qasemi", certainty="hedged", when="1990s"),
            claim("iran", "HOSTED", "al-qaeda", when="after 2001")]
    predicted = [claim("iran", "TRAINED", "al-qaeda", said_by="saeed-qasemi", certainty="asserted", when="1990s"),
                 claim("iran", "HOSTED", "al-qaeda", said_by="irgc", when="After 2001"),
                 claim("iran", "OPPOSED", "al-qaeda", said_by="nobody")]
    report = evaluate(gold, predicted)
    assert report.said_by_agreement == 0.5
    assert report.certainty_agreement == 0.5
    assert report.when_agreement == 1.0


def test_empty_inputs():
    report = evaluate([], [])
    assert report.overall == Scores(0, 0, 0, 1.0, 1.0, 1.0)
    assert report.said_by_agreement == 1.0


def test_contested_link_keys():
    claims = [
        claim("iran", "SUPPORTED", "al-qaeda", "affirms", "united-states"),
        claim("iran", "SUPPORTED", "al-qaeda", "denies", "author"),
        # same speaker (author of one doc) on both sides: not contested
        claim("al-qaeda", "COOPERATED_WITH", "united-states", "affirms"),
        claim("al-qaeda", "COOPERATED_WITH", "united-states", "denies"),
        # author of two different docs: two speakers; COOPERATED_WITH unordered
        claim("iran", "COOPERATED_WITH", "al-qaeda", "affirms", doc="x.txt"),
        claim("al-qaeda", "COOPERATED_WITH", "iran", "denies", doc="y.txt"),
        # only affirms
        claim("iran", "TRAINED", "hezbollah", "affirms", "a"),
        claim("iran", "TRAINED", "hezbollah", "affirms", "b"),
    ]
    assert contested_link_keys(claims) == {"iran|SUPPORTED|al-qaeda", "al-qaeda|COOPERATED_WITH|iran"}


def test_report_to_dict_is_plain_data():
    import json

    report = evaluate([claim("iran", "TRAINED", "al-qaeda")], [claim("iran", "HOSTED", "al-qaeda")])
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["overall"]["fp"] == 1 and data["false_positives"] == [["a.txt", "iran", "HOSTED", "al-qaeda", "affirms"]]
    assert isinstance(report, EvaluationReport)


# --------------------------------------------------------------------------- the seeds: today's figures as floors

@pytest.fixture(scope="module")
def seed_claims():
    from graph.actors import Registry
    from graph.documents import read_document
    from graph.extraction import Extractor

    extractor = Extractor(Registry.from_yaml(SEEDS / "actors.yaml"))
    return [claim for path in sorted(SEEDS.glob("*.txt")) for claim in extractor.extract(read_document(path))]


@pytest.fixture(scope="module")
def seed_report(seed_claims):
    return evaluate(read_claims(GOLD), seed_claims)


# Measured on the five seeds (frames + the shipped scorer); floors, rounded down. Relations (without
# PART_OF) must keep F1 >= 0.75 at precision >= 0.90 (the extraction issue). Raise them as the extractor improves.
FLOORS = {
    "overall": {"precision": 0.95, "recall": 0.67, "f1": 0.79},
    "without_part_of": {"precision": 0.97, "recall": 0.67, "f1": 0.79},
    "denials": {"precision": 0.91, "recall": 0.84, "f1": 0.87},
}


@pytest.mark.parametrize("part", sorted(FLOORS))
def test_seed_scores_do_not_fall(seed_report, part):
    scores = getattr(seed_report, part)
    for measure, floor in FLOORS[part].items():
        assert getattr(scores, measure) >= floor, f"{part} {measure} fell below {floor}: {scores}"


def test_seed_attribute_agreement_does_not_fall(seed_report):
    assert seed_report.said_by_agreement >= 0.92  # "according to the documents" is now unnamed; the gold names al-Qaeda
    assert seed_report.certainty_agreement >= 0.97
    assert seed_report.when_agreement >= 0.70


def test_seed_contested_links(seed_report):
    """All seven contested links of the gold, found from extraction alone."""
    assert len(seed_report.contested_links_expected) == 7
    assert seed_report.contested_links_found == seed_report.contested_links_expected


def test_seed_extraction_finds_no_contested_link_the_gold_lacks(seed_claims):
    assert contested_link_keys(seed_claims) == contested_link_keys(read_claims(GOLD))


# --------------------------------------------------------------------------- the dev passages: the frames alone

DEV = Path(__file__).parent / "data" / "dev"

# Measured with the frames alone (no learned scorer: the shipped one was trained on these passages),
# the seeds' registry extended by the dev actors, with the passages' publisher as outlet; floors,
# rounded down. They hold the extraction issue's targets: relations F1 >= 0.65 at precision >= 0.80,
# denials and PART_OF F1 >= 0.60; as plain files too.
DEV_FLOORS = {
    "without_part_of": {"precision": 0.87, "recall": 0.55, "f1": 0.68},
    "denials": {"precision": 0.77, "recall": 0.56, "f1": 0.65},
}
# The same passages read as plain files: no outlet, so no issuer but what the text itself names.
PLAIN_FLOORS = {
    "without_part_of": {"precision": 0.87, "recall": 0.53, "f1": 0.66},
    "denials": {"precision": 0.76, "recall": 0.53, "f1": 0.63},
}


def _dev_claims(plain: bool):
    from dataclasses import replace

    from graph.evaluation import read_passages
    from graph.extraction import Extractor
    from graph.model import Source
    from graph.pipeline import combined_registry

    extractor = Extractor(combined_registry([SEEDS / "actors.yaml", DEV / "actors.extra.yaml"]), scorer=None)
    documents = read_passages(DEV / "passages.jsonl")
    if plain:
        documents = [replace(d, source=Source()) for d in documents]
    return [c for document in documents for c in extractor.extract(document)]


@pytest.fixture(scope="module")
def dev_report():
    return evaluate(read_claims(DEV / "gold.claims.jsonl"), _dev_claims(plain=False))


@pytest.fixture(scope="module")
def plain_report():
    return evaluate(read_claims(DEV / "gold.claims.jsonl"), _dev_claims(plain=True))


@pytest.mark.slow
@pytest.mark.parametrize("reading, part", [(r, p) for r in ("with outlets", "as plain files") for p in sorted(DEV_FLOORS)])
def test_dev_scores_do_not_fall(dev_report, plain_report, reading, part):
    report, floors = (dev_report, DEV_FLOORS) if reading == "with outlets" else (plain_report, PLAIN_FLOORS)
    scores = getattr(report, part)
    for measure, floor in floors[part].items():
        assert getattr(scores, measure) >= floor, f"{reading}: {part} {measure} fell below {floor}: {scores}"


@pytest.mark.slow
def test_dev_part_of_and_speakers_do_not_fall(dev_report):
    part_of = dev_report.per_predicate["PART_OF"]
    assert part_of.f1 >= 0.63 and part_of.precision >= 0.79, part_of
    assert dev_report.said_by_agreement >= 0.94
