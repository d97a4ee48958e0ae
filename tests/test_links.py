"""Link state has two definitions: graph/links.py in Python, the store's Cypher refresh.
They must agree, on both stores, and every other counter (the views, the import files,
evaluation) is links.py's."""
from __future__ import annotations

import csv

import pytest

from graph import views
from graph.bulk import write_import_files
from graph.evaluation import contested_link_keys
from graph.links import LinkTally, tally_claims
from graph.model import UNNAMED, Actor, Claim

ACTORS = ("iran", "al-qaeda", "hamas", "irgc", "us", "saudi-arabia")
STATE = ("claims", "affirms", "denies", "speakers", "documents", "contested", "tentative")


def claim(subject, predicate, obj, polarity="affirms", said_by="author", doc="a.txt", **fields) -> Claim:
    return Claim(doc=doc, subject=subject, predicate=predicate, object=obj, polarity=polarity, said_by=said_by,
                 evidence=[f"{subject} {predicate} {obj} {polarity} {said_by} {doc} {sorted(fields.items())}"],
                 origin="curated:links", **fields)


# Each link below shows one rule; together they are the varied set both definitions count.
VARIED = [
    # authors of different documents are different speakers: contested
    claim("iran", "TRAINED", "al-qaeda", doc="a.txt"),
    claim("iran", "TRAINED", "al-qaeda", "denies", doc="b.txt"),
    # one author affirming and denying is not a dispute: mixed
    claim("iran", "HOSTED", "al-qaeda", doc="a.txt"),
    claim("iran", "HOSTED", "al-qaeda", "denies", doc="a.txt", certainty="hedged"),
    # unnamed sources of different documents are different speakers
    claim("iran", "SUPPORTED", "hamas", said_by=UNNAMED, doc="a.txt", certainty="hedged"),
    claim("iran", "SUPPORTED", "hamas", "denies", said_by=UNNAMED, doc="c.txt", certainty="speculative"),
    # the unnamed source and the author of one document are different speakers too
    claim("irgc", "SUPPORTED", "hamas", said_by=UNNAMED, doc="a.txt"),
    claim("irgc", "SUPPORTED", "hamas", "denies", doc="a.txt"),
    # an actor is one speaker across documents
    claim("iran", "OPPOSED", "us", said_by="iran", doc="a.txt"),
    claim("iran", "OPPOSED", "us", "denies", said_by="iran", doc="b.txt"),
    # the authors of copies of one story are one speaker, the copies one document
    claim("us", "DESIGNATED", "hamas", doc="d.txt", source="d.txt"),
    claim("us", "DESIGNATED", "hamas", "denies", doc="e.txt", source="d.txt"),
    # a symmetric predicate meets in either direction; a rejected denial doesn't count
    claim("iran", "COOPERATED_WITH", "al-qaeda", said_by="us", doc="a.txt", certainty="speculative"),
    claim("al-qaeda", "COOPERATED_WITH", "iran", "denies", said_by="iran", doc="b.txt", review="rejected"),
    claim("al-qaeda", "COOPERATED_WITH", "iran", said_by="saudi-arabia", doc="c.txt", certainty="hedged",
          review="confirmed"),
    # every claim set aside: the link stays (its claims are stored) but counts nothing in force
    claim("hamas", "PART_OF", "iran", doc="a.txt", review="rejected"),
    claim("hamas", "PART_OF", "iran", "denies", doc="b.txt", review="replaced", certainty="hedged"),
    # a correction counts in place of what it replaced
    claim("irgc", "PART_OF", "iran", doc="b.txt", review="replaced"),
    claim("irgc", "PART_OF", "iran", "denies", said_by="irgc", doc="b.txt", review="corrected"),
    claim("irgc", "PART_OF", "iran", said_by=UNNAMED, doc="c.txt", certainty="hedged"),
]


def python_state() -> dict[str, dict]:
    return {key: tally.counts() for key, tally in tally_claims(VARIED).items()}


def stored_state(store) -> dict[str, dict]:
    rows = store.query(f"MATCH (l:Link) RETURN l.key AS key, {', '.join(f'l.{s} AS {s}' for s in STATE)}").records()
    return {row.pop("key"): row for row in rows}


@pytest.fixture
def varied(store):
    store.write_actors(Actor(id=a, name=a, kind="state") for a in ACTORS)
    store.replace_claim_set("curated:links", VARIED)
    return store


def test_the_varied_set_shows_every_rule():
    state = python_state()
    assert state["iran|TRAINED|al-qaeda"]["contested"]
    assert not state["iran|HOSTED|al-qaeda"]["contested"]  # one speaker
    assert state["iran|SUPPORTED|hamas"] == {"claims": 2, "affirms": 1, "denies": 1, "speakers": 2, "documents": 2,
                                             "contested": True, "tentative": True}
    assert state["irgc|SUPPORTED|hamas"]["speakers"] == 2 and state["irgc|SUPPORTED|hamas"]["documents"] == 1
    assert state["iran|OPPOSED|us"]["speakers"] == 1 and not state["iran|OPPOSED|us"]["contested"]
    assert state["us|DESIGNATED|hamas"]["speakers"] == 1 and state["us|DESIGNATED|hamas"]["documents"] == 1
    assert state["al-qaeda|COOPERATED_WITH|iran"] == {"claims": 3, "affirms": 2, "denies": 0, "speakers": 2,
                                                      "documents": 2, "contested": False, "tentative": True}
    assert state["hamas|PART_OF|iran"] == {"claims": 2, "affirms": 0, "denies": 0, "speakers": 0, "documents": 0,
                                           "contested": False, "tentative": False}
    assert state["irgc|PART_OF|iran"]["contested"] and state["irgc|PART_OF|iran"]["claims"] == 3


def test_the_store_counts_links_as_graph_links_does(varied):
    assert stored_state(varied) == python_state()
    assert varied.counts()["contested_links"] == sum(s["contested"] for s in python_state().values()) == 4


def test_the_store_and_python_agree_after_a_review_changes_claims(varied):
    """A refresh after claims change state (here the embedded and Neo4j refresh of review.apply's kind)."""
    varied.query("MATCH (c:Claim) WHERE c.review = 'rejected' SET c.review = NULL", write=True)
    varied.refresh_links(python_state())
    unrejected = [claim if claim.review != "rejected" else Claim(**{**vars(claim), "review": None}) for claim in VARIED]
    assert stored_state(varied) == {key: t.counts() for key, t in tally_claims(unrejected).items()}


def test_the_views_count_as_the_store(varied):
    stored = stored_state(varied)
    links = views.build_view(varied).links
    assert {link.key for link in links} == {key for key, s in stored.items() if s["speakers"]}  # none in force: unseen
    for link in links:
        assert {name: getattr(link.tally, name) for name in STATE} == stored[link.key], link.key
        assert (link.state == "contested") == stored[link.key]["contested"]


def test_evaluation_finds_the_contested_links_the_store_holds(varied):
    assert contested_link_keys(VARIED) == {key for key, s in stored_state(varied).items() if s["contested"]}


def test_the_import_files_hold_the_state_a_load_stores(tmp_path):
    files = write_import_files(tmp_path / "import", [Actor(id=a, name=a, kind="state") for a in ACTORS], VARIED)
    with open(files.directory / "links.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    plain = {row["key:ID(Link)"]: {name: _csv_value(row, name) for name in STATE} for row in rows}
    assert plain == python_state()


def _csv_value(row: dict, name: str):
    for header, value in row.items():
        if header.split(":")[0] == name:
            return value == "true" if header.endswith(":boolean") else int(value)
    raise KeyError(name)


def test_an_empty_tally_is_neither_contested_nor_tentative():
    empty = LinkTally()
    assert empty.counts() == {"claims": 0, "affirms": 0, "denies": 0, "speakers": 0, "documents": 0,
                              "contested": False, "tentative": False}
