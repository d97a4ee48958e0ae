"""The STIX 2.1 export: valid for stix2-validator, and every claim found again, denials as denials."""
import json

import stix2
from stix2validator import ValidationOptions, validate_string

from graph import stix, views
from graph.claimsio import read_claims
from conftest import GOLD_CLAIMS


def seeds_bundle(store, registry) -> tuple[str, list]:
    store.write_actors(registry.actors.values())
    claims = read_claims(GOLD_CLAIMS)
    store.replace_claim_set("curated:gold.claims.jsonl", claims)
    return stix.serialize(views.build_view(store)), claims


def test_the_seeds_bundle_validates(store, registry):
    text, _ = seeds_bundle(store, registry)
    result = validate_string(text, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]


def test_every_claim_of_the_seeds_is_read_back_denials_included(store, registry):
    text, claims = seeds_bundle(store, registry)
    bundle = stix2.parse(text, allow_custom=True)
    by_id = {obj.id: obj for obj in bundle.objects}
    actor_of = {obj.id: obj["x_graphctl_actor"] for obj in bundle.objects if "x_graphctl_actor" in obj}
    relationships = {obj["x_graphctl_claim_id"]: obj for obj in bundle.objects if obj.type == "relationship"}
    opinions = {ref: obj for obj in bundle.objects if obj.type == "opinion" for ref in obj.object_refs}
    assert len(relationships) == len({c.id for c in claims})
    for claim in claims:
        found = relationships[claim.id]
        assert (actor_of[found.source_ref], found.relationship_type, actor_of[found.target_ref]) == (
            claim.subject, stix.relationship_type(claim.predicate), claim.object)
        assert (found["x_graphctl_polarity"], found["x_graphctl_said_by"]) == (claim.polarity, claim.said_by)
        assert found.external_references[0].external_id == claim.doc
        assert found["x_graphctl_quote"] == claim.quote
        if claim.polarity == "denies":  # never an affirmation: labelled, described and disagreed with
            assert "denied" in found.labels and found.description.startswith("Denied")
            assert opinions[found.id].opinion == "strongly-disagree"
        else:
            assert "affirmed" in found.labels and found.id not in opinions
    denials = [c for c in claims if c.polarity == "denies"]
    assert denials and all(relationships[c.id]["x_graphctl_polarity"] == "denies" for c in denials)
    contested = [obj for obj in bundle.objects if obj.type == "note"]
    assert contested and all(by_id[ref]["x_graphctl_link_state"] == "contested"
                             for note in contested for ref in note.object_refs)


def test_actors_are_the_fitting_stix_objects(store, registry):
    text, _ = seeds_bundle(store, registry)
    objects = {o.get("x_graphctl_actor"): o for o in json.loads(text)["objects"]}
    assert objects["al-qaeda"]["type"] == "threat-actor" and "Al Qaeda" in objects["al-qaeda"]["aliases"]
    assert objects["iran"]["type"] == "identity" and objects["iran"]["identity_class"] == "organization"
    assert objects["irgc"]["type"] == "identity" and "Pasdaran" in objects["irgc"]["x_opencti_aliases"]
    assert stix.serialize(views.build_view(store)) == text  # the same ids on every export


def test_export_stix_from_the_command_line(tmp_path, monkeypatch, registry):
    from click.testing import CliRunner
    from graph.cli import cli

    monkeypatch.delenv("NEO4J_URI", raising=False)
    db = ["--db", str(tmp_path / "s.lbug")]
    runner = CliRunner()
    assert runner.invoke(cli, [*db, "load", "--claims", str(GOLD_CLAIMS)]).exit_code == 0
    result = runner.invoke(cli, [*db, "export", "stix", "-o", str(tmp_path / "b.json"), "--contested-only"])
    assert result.exit_code == 0, result.output
    bundle = json.loads((tmp_path / "b.json").read_text())
    assert {o["x_graphctl_link_state"] for o in bundle["objects"] if o["type"] == "relationship"} == {"contested"}
