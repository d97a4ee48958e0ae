from pathlib import Path

import pytest

from graph.model import Claim
from graph.store import year_range


def claim(**fields):
    base = dict(doc="a.txt", subject="iran", predicate="SUPPORTED", object="al-qaeda")
    base.update(fields)
    return Claim(**base)


def test_cooperation_is_one_link_in_either_direction():
    forward = claim(predicate="COOPERATED_WITH")
    backward = claim(predicate="COOPERATED_WITH", subject="al-qaeda", object="iran")
    assert forward.link_key == backward.link_key == "al-qaeda|COOPERATED_WITH|iran"


def test_directed_predicates_keep_their_direction():
    assert claim().link_key == "iran|SUPPORTED|al-qaeda"
    assert claim(subject="al-qaeda", object="iran").link_key == "al-qaeda|SUPPORTED|iran"


def test_the_author_of_each_document_is_a_different_speaker():
    assert claim(doc="a.txt").speaker_key != claim(doc="b.txt").speaker_key
    assert claim(doc="a.txt", said_by="irgc").speaker_key == claim(doc="b.txt", said_by="irgc").speaker_key


def test_claim_id_is_a_content_hash():
    assert claim().id == claim().id
    assert claim().id != claim(polarity="denies").id
    assert claim().id != claim(origin="curated:x.jsonl").id


def test_guide_keys_come_first_and_in_order():
    keys = list(claim().to_guide_dict())
    assert keys[:9] == ["doc", "subject", "predicate", "object", "polarity", "said_by", "certainty", "when", "evidence"]
    assert list(claim().to_guide_dict(extras=False)) == keys[:9]


def test_year_ranges():
    assert year_range("1990s") == (1990, 1999)
    assert year_range("1992-1995") == (1992, 1995)
    assert year_range("after 2001") == (2001, None)
    assert year_range("since at least 2009") == (2009, None)
    assert year_range("2000s and 2010s") == (2000, 2019)
    assert year_range("for decades") == (None, None)
    assert year_range(None) == (None, None)


# -- predicates, declared once (graph/predicates.yaml) -----------------------------------------

def test_every_list_of_predicates_agrees_with_the_declaration():
    import yaml

    from graph import model
    from graph.backends import SCHEMA
    from graph.queries import shipped_queries

    declared = model.load_predicates()
    assert model.PREDICATES == tuple(declared)
    assert model.SYMMETRIC == {p.name for p in declared.values() if p.symmetric}
    assert model.COOPERATIVE == {p.name for p in declared.values() if p.cooperative}
    assert model.OPPOSING == {p.name for p in declared.values() if p.opposing}
    assert model.EDGE_TYPES == {p.name: p.edge for p in declared.values()}
    # the extractor's rules have trigger words for exactly these, and their schema allows exactly these
    rules = Path(model.__file__).parent / "extraction"
    assert set(yaml.safe_load((rules / "rules.yaml").read_text())["predicates"]) == set(model.PREDICATES)
    schema = yaml.safe_load((rules / "rules.schema.yaml").read_text())
    assert set(schema["properties"]["predicates"]["properties"]) == set(model.PREDICATES)
    # the stores' edge types come from the declaration, not from a list in schema.yaml
    assert "types" not in SCHEMA["claim_edge"]
    # links_in_tension takes its lists as parameters, by default the declared ones
    tension = shipped_queries()["links_in_tension"]
    assert tension.bind({}) == {"cooperative": sorted(model.COOPERATIVE), "opposing": sorted(model.OPPOSING)}


def test_no_code_or_query_writes_a_list_of_predicates_out():
    """A list of two or more predicate names anywhere but the declaration is a second definition."""
    import re

    from graph import model

    root = Path(model.__file__).parent.parent
    name = "|".join(model.PREDICATES)
    listed = re.compile(rf"""['"]({name})['"][^\n]*['"]({name})['"]""")
    files = [*root.glob("graph/**/*.py"), *root.glob("scripts/*.py"), *root.glob("cypher/*.cypher"),
             *root.glob("graph/templates/*.js")]
    offending = [f"{path.relative_to(root)}: {line.strip()}" for path in files
                 for line in path.read_text(encoding="utf-8").splitlines()
                 if listed.search(line) and len(set(listed.search(line).groups())) > 1]
    assert not offending, offending


@pytest.mark.parametrize("entry, problem", [
    ("{name: TRAINED, symmetric: false, cooperative: true, opposing: false}", "exactly the keys"),
    ("{name: 'x]-(y', symmetric: false, cooperative: true, opposing: false, edge: X}", "upper-case name"),
    ("{name: X, symmetric: 'no', cooperative: true, opposing: false, edge: X}", "true or false"),
    ("{name: X, symmetric: false, cooperative: true, opposing: true, edge: X}", "at once"),
])
def test_a_malformed_declaration_is_refused(tmp_path, entry, problem):
    from graph.model import load_predicates

    path = tmp_path / "predicates.yaml"
    path.write_text(f"predicates:\n  - {entry}\n")
    with pytest.raises(ValueError, match=problem):
        load_predicates(path)
