"""Discovery with review: actors NER finds that the registry lacks are provisional, their claims
kept apart; the analyst's accept, merge, reject and undo, on a real store of each kind."""
import json

import pytest
from click.testing import CliRunner

from graph import analysis, discovery, pipeline, views
from graph.actors import Registry
from graph.cli import cli
from graph.discovery import Decision
from graph.errors import InputError
from conftest import SEEDS, STORE_KINDS

# Invented names: the shipped registry holds none of them (test_the_names_are_new).
ARTICLE = """Militias in the north

The Crimson Dawn Front received weapons from the IRGC, a UN panel of experts said. Iran denied supplying the Crimson Dawn Front.

Qods Force instructors trained fighters of the Sabre Legion in Syria, according to the panel.
"""
SANCTIONS = """Sanctions

The Northern Shield Movement was designated by the State Department in 2024. Saudi Arabia fought the Houthis in Yemen.
"""
NAMES = ("Crimson Dawn Front", "Sabre Legion", "Northern Shield Movement")
# What a load gives without any decision: (subject, predicate, object, polarity, provisional).
PROVISIONAL = {
    ("irgc", "SUPPORTED", "new-crimson-dawn-front", "affirms", True),
    ("iran", "SUPPORTED", "new-crimson-dawn-front", "denies", True),
    ("quds-force", "TRAINED", "new-sabre-legion", "affirms", True),
    ("us-state-department", "DESIGNATED", "new-northern-shield-movement", "affirms", True),
    ("saudi-arabia", "OPPOSED", "houthis", "affirms", False),
}


@pytest.fixture(scope="module")
def shipped():
    return Registry.from_yaml(pipeline.SHIPPED_REGISTRY)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "b.txt").write_text(SANCTIONS)
    return folder


def claims(store) -> set:
    rows = store.query("MATCH (c:Claim) RETURN c.subject, c.predicate, c.object, c.polarity, c.provisional").rows
    return {(s, p, o, pol, bool(prov)) for s, p, o, pol, prov in rows}


def claim_ids(store) -> set:
    return {row[0] for row in store.query("MATCH (c:Claim) RETURN c.id").rows}


def provisional_actors(store) -> dict:
    rows = store.query("MATCH (a:Actor) WHERE a.provisional = true RETURN a.id, a.kind").rows
    return dict(rows)


def actor(store, actor_id):
    rows = store.query("MATCH (a:Actor {id: $id}) RETURN a.name, a.kind, a.part_of, a.provisional, a.aliases",
                       {"id": actor_id}).rows
    return tuple(rows[0]) if rows else None


def decide(corpus, shipped, store, **fields):
    discovery.record(corpus / discovery.FILE_NAME, Decision(by="tester", **fields), shipped)
    return pipeline.load(store, [corpus])


def undo(corpus, store, name):
    discovery.undo(corpus / discovery.FILE_NAME, name)
    return pipeline.load(store, [corpus])


def test_the_names_are_new(shipped):
    for name in NAMES:
        assert not shipped.find_mentions(f"Reports about the {name} today."), name


def test_new_names_become_provisional_actors_with_their_claims_apart(store, corpus):
    pipeline.load(store, [corpus])
    assert claims(store) == PROVISIONAL
    # only those in a claim are stored, with NER's label as a hint of their kind
    assert provisional_actors(store) == {"new-crimson-dawn-front": "organization", "new-sabre-legion": "organization",
                                         "new-northern-shield-movement": "organization"}
    assert actor(store, "irgc")[3] is False
    # loading again changes nothing; the provisional actors stay
    summary = pipeline.load(store, [corpus])
    assert summary.documents_unchanged == 2 and claims(store) == PROVISIONAL


def test_accept_makes_a_registry_actor_of_the_kind_given_and_undo_restores(store, corpus, shipped):
    pipeline.load(store, [corpus])
    before = claim_ids(store)
    summary = decide(corpus, shipped, store, name="Crimson Dawn Front", decision="accept", kind="armed_group",
                     part_of="iran", id="crimson-dawn")
    assert summary.documents_loaded == 1  # only the document that names it
    assert claims(store) == (PROVISIONAL - {c for c in PROVISIONAL if c[2] == "new-crimson-dawn-front"}) | {
        ("irgc", "SUPPORTED", "crimson-dawn", "affirms", False),
        ("iran", "SUPPORTED", "crimson-dawn", "denies", False)}
    assert actor(store, "crimson-dawn")[:4] == ("Crimson Dawn Front", "armed_group", "iran", False)
    assert actor(store, "new-crimson-dawn-front") is None
    assert "crimson-dawn" not in provisional_actors(store)

    undo(corpus, store, "Crimson Dawn Front")
    assert claims(store) == PROVISIONAL and claim_ids(store) == before
    assert actor(store, "new-crimson-dawn-front")[3] is True


def test_merge_makes_an_alias_and_undo_restores_the_claims_as_they_were(store, corpus, shipped):
    pipeline.load(store, [corpus])
    before = claim_ids(store)
    decide(corpus, shipped, store, name="Northern Shield Movement", decision="merge", into="houthis")
    assert claims(store) == (PROVISIONAL - {c for c in PROVISIONAL if c[2] == "new-northern-shield-movement"}) | {
        ("us-state-department", "DESIGNATED", "houthis", "affirms", False)}
    assert "Northern Shield Movement" in actor(store, "houthis")[4]
    assert actor(store, "new-northern-shield-movement") is None

    undo(corpus, store, "Northern Shield Movement")
    assert claims(store) == PROVISIONAL and claim_ids(store) == before
    assert "Northern Shield Movement" not in actor(store, "houthis")[4]


def test_reject_drops_the_provisional_claims_and_undo_restores(store, corpus, shipped):
    pipeline.load(store, [corpus])
    before = claim_ids(store)
    decide(corpus, shipped, store, name="Sabre Legion", decision="reject")
    assert claims(store) == PROVISIONAL - {("quds-force", "TRAINED", "new-sabre-legion", "affirms", True)}
    assert "new-sabre-legion" not in provisional_actors(store)

    undo(corpus, store, "Sabre Legion")
    assert claims(store) == PROVISIONAL and claim_ids(store) == before


def test_the_registrys_claims_on_the_seeds_are_those_without_discovery(tmp_path, registry):
    """Discovery adds provisional claims; it never changes those between registry actors."""
    from graph.extraction import extract_many
    from graph.store import Store
    from graph.backends import EmbeddedBackend

    corpus = pipeline.scan([SEEDS])
    documents = list(pipeline.read_documents(corpus, {}, 10**7, []))
    plain = {c.id for _, found in extract_many(documents, registry) for c in found}
    with Store(EmbeddedBackend(tmp_path / "g.lbug")) as store:
        pipeline.load(store, [SEEDS])
        rows = store.query("MATCH (c:Claim) RETURN c.id, c.provisional").rows
    assert {i for i, provisional in rows if not provisional} == plain
    assert any(provisional for _, provisional in rows)  # the seeds name actors their registry lacks


def test_decisions_are_checked_and_the_file_is_plain(corpus, shipped):
    path = corpus / discovery.FILE_NAME
    discovery.record(path, Decision("Sabre Legion", "reject", by="tester", at="2026-11-30T21:00:00Z"), shipped)
    discovery.record(path, Decision("sabre legion", "accept", kind="armed_group", by="tester",
                                    at="2026-11-30T21:00:00Z"), shipped)  # one decision per name
    assert path.read_text().splitlines()[1:] == [
        "- name: sabre legion", "  decision: accept", "  kind: armed_group", "  by: tester",
        "  at: '2026-11-30T21:00:00Z'"]
    with pytest.raises(InputError, match="merged into unknown actor 'nobody'"):
        discovery.record(path, Decision("Sabre Legion", "merge", into="nobody"), shipped)
    with pytest.raises(InputError, match="actor id 'iran' is taken"):
        discovery.record(path, Decision("Sabre Legion", "accept", kind="group", id="iran"), shipped)
    path.write_text("- name: X\n  decision: accept\n  kind: militia\n")
    with pytest.raises(InputError, match=r"actors.review.yaml:1: field 'kind'"):
        discovery.read_decisions(path)


def test_the_html_view_draws_provisional_actors_apart(store, corpus):
    pipeline.load(store, [corpus])
    data = views.network_data(views.build_view(store))
    nodes = {node["id"]: node for node in data["nodes"]}
    assert nodes["new-sabre-legion"]["shapeProperties"] == {"borderDashes": [4, 3]}
    assert "shapeProperties" not in nodes["quds-force"]
    assert data["actors"]["new-sabre-legion"]["provisional"] is True


def invoke(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.mark.parametrize("store_env", STORE_KINDS, indirect=True)
def test_the_review_commands(store_env, corpus):
    assert invoke([*store_env, "load", str(corpus)]).exit_code == 0
    listed = json.loads(invoke([*store_env, "actors", "review", "list", str(corpus), "--json"]).output)
    assert {(r["name"], r["claims"], r["decision"]) for r in listed} == {
        ("Crimson Dawn Front", 2, "pending"), ("Sabre Legion", 1, "pending"), ("Northern Shield Movement", 1, "pending")}
    link = json.loads(invoke([*store_env, "link", "iran", "new-crimson-dawn-front", "--json"]).output)
    assert [r["provisional"] for r in link] == [["new-crimson-dawn-front"]]
    assert analysis.label("new-crimson-dawn-front", link[0]) == "new-crimson-dawn-front (provisional)"
    assert analysis.label("iran", link[0]) == "iran"

    result = invoke([*store_env, "actors", "review", "accept", str(corpus), "Sabre Legion", "--kind", "armed_group"])
    assert result.exit_code == 0 and "accepted as armed_group 'sabre-legion'" in result.output
    listed = json.loads(invoke([*store_env, "actors", "review", "list", str(corpus), "--json"]).output)
    assert ("Sabre Legion", "accept") in {(r["name"], r["decision"]) for r in listed}
    assert invoke([*store_env, "actors", "review", "undo", str(corpus), "Sabre Legion"]).exit_code == 0

    bad = invoke([*store_env, "actors", "review", "merge", str(corpus), "Sabre Legion", "nobody"])
    assert bad.exit_code == 1 and bad.output.count("\n") == 1 and "unknown actor 'nobody'" in bad.output
    assert invoke([*store_env, "actors", "review", "undo", str(corpus), "Sabre Legion"]).exit_code == 1
    assert not (corpus / discovery.FILE_NAME).read_text().count("name:")
