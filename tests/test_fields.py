"""A claim's fields are declared once (schema.yaml's Claim, graph/fields.py): every list of
them is built from the declaration or checked against it here, and what is written is what
is read back."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import fields as dataclass_fields
from pathlib import Path

import pytest

from graph import fields, review, store as store_module, views
from graph.backends import SCHEMA
from graph.bulk import write_import_files
from graph.claimsio import read_claims, write_claims
from graph.model import GUIDE_KEYS, STATE_KEYS, Actor, Claim

FULL = Claim(doc="a.txt", subject="iran", predicate="TRAINED", object="al-qaeda", polarity="denies", said_by="irgc",
             certainty="hedged", when="since 2009", evidence=["Iran trained them.", "So they say."], doc_id="abc123",
             start=10, end=42, extractor="frames-1", rule="TRAINED.active", confidence=0.5, origin="extracted",
             note="a note", review="confirmed", review_note="by ana", source="b.txt", provisional=True)
# Claims that set every field a different way: a symmetric pair written backwards, no `when`.
CLAIMS = [FULL, Claim(doc="b.txt", subject="irgc", predicate="COOPERATED_WITH", object="al-qaeda", said_by="unnamed",
                      evidence=["x"])]


def test_a_claim_row_is_schema_yamls_claim_in_its_order():
    assert list(fields.claim_row(FULL)) == list(SCHEMA["nodes"]["Claim"]["properties"]) == list(fields.CLAIM_FIELDS)
    row = fields.claim_row(FULL)
    assert (row["time"], row["time_from"], row["time_to"]) == ("since 2009", 2009, None)
    assert (row["start_char"], row["end_char"], row["link_key"]) == (10, 42, "iran|TRAINED|al-qaeda")
    assert fields.claim_row(CLAIMS[1])["link_key"] == "al-qaeda|COOPERATED_WITH|irgc"


def test_a_column_no_claim_gives_is_refused(monkeypatch):
    declared = fields.CLAIM_FIELDS
    monkeypatch.setattr(fields, "CLAIM_FIELDS", (*declared, "weight"))
    with pytest.raises(ValueError, match="weight"):
        fields._column_getters()
    monkeypatch.setattr(fields, "CLAIM_FIELDS", tuple(f for f in declared if f != "time_to"))
    with pytest.raises(ValueError, match="time_to"):
        fields._column_getters()


@pytest.mark.parametrize("path", ["unwind", "copy"])
def test_every_field_written_is_read_back(store, path, monkeypatch):
    """Through UNWIND and (where the store has it) COPY, the claim and its typed edge hold the row."""
    if path == "copy":
        if not store.capabilities.copy:
            pytest.skip("this store has no COPY")
        monkeypatch.setattr(store_module, "COPY_MIN_ROWS", 1)
    store.write_actors(Actor(id=a, name=a, kind="state") for a in ("iran", "irgc", "al-qaeda"))
    store.replace_claim_set("extracted", CLAIMS)
    read = {row["id"]: row for row in store.query(views._CLAIMS, {"predicates": ["TRAINED", "COOPERATED_WITH"],
                                                                 "source": ""}).records()}
    for claim in CLAIMS:
        row = fields.claim_row(claim)
        assert {name: read[claim.id][name] for name in fields.CLAIM_FIELDS} == row
        edge = store.query(f"MATCH (a:Actor)-[e:{claim.predicate}]->(b:Actor) WHERE e.claim_id = $id RETURN "
                           + fields.cypher_returns(fields.EDGE_FROM_CLAIM, "e"), {"id": claim.id}).records()
        assert edge == [{prop: row[key] for prop, key in fields.EDGE_FROM_CLAIM.items()}]


def test_a_claims_file_carries_every_field_but_a_loads(tmp_path):
    """The claims file's keys are the Claim's: what is written is read back whole."""
    stream = io.StringIO()
    write_claims(CLAIMS, stream)
    path = tmp_path / "x.claims.jsonl"
    path.write_text(stream.getvalue(), encoding="utf-8")
    state = {key: None for key in STATE_KEYS}
    assert read_claims(path, origin="extracted") == [Claim(**{**vars(c), **state, "origin": "extracted"})
                                                    for c in CLAIMS]
    written = FULL.to_guide_dict()
    assert list(written)[:len(GUIDE_KEYS)] == list(GUIDE_KEYS)
    assert set(written) == {f.name for f in dataclass_fields(Claim)} | {"id"}


def test_the_views_lists_come_from_the_declaration():
    document_fields = set(SCHEMA["nodes"]["Document"]["properties"])
    assert set(views.DOCUMENT_DESCRIPTION) <= document_fields
    in_view = {*fields.CLAIM_FIELDS, *views.DOCUMENT_DESCRIPTION, *views.VIEW_MADE}
    # the exports carry every field of a claim but those its edge is made of
    assert set(views.EXPORTED) == in_view - {"id", "subject", "object"}
    assert set(views.CSV_COLUMNS) <= {*views.EXPORTED, *views.EDGE_MADE, "subject", "object", "subject_name",
                                      "object_name"}
    assert set(views.PAGE_FIELDS) <= in_view
    # the page's script reads only what the page is given
    script = (Path(views.__file__).parent / "templates" / "network.js").read_text(encoding="utf-8")
    assert set(re.findall(r"\bclaim\.(\w+)", script)) <= set(views.PAGE_FIELDS)


def test_every_other_list_of_claim_fields_names_stored_fields(tmp_path):
    assert set(review._FIELDS) <= set(fields.CLAIM_FIELDS)
    assert set(fields.EDGE_FROM_CLAIM.values()) <= set(fields.CLAIM_FIELDS)
    files = write_import_files(tmp_path / "import", [Actor(id=a, name=a, kind="state")
                                                     for a in ("iran", "irgc", "al-qaeda")], CLAIMS)
    with open(files.directory / "claims.csv", newline="", encoding="utf-8") as stream:
        header, *rows = csv.reader(stream)
    assert [name.split(":")[0] for name in header[:-1]] == list(fields.CLAIM_FIELDS)
    assert {row[0] for row in rows} == {c.id for c in CLAIMS}
