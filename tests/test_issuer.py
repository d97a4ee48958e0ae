"""Who issued a document (graph/extraction/issuer.py), from its source's outlet."""
from pathlib import Path

import pytest

from graph.actors import Registry
from graph.extraction.issuer import issuer_of
from graph.extraction.rules import Rules

REGISTRY = Registry.from_yaml(Path(__file__).parent / "data" / "extraction" / "registry.yaml")
RULES = Rules.load(None)


@pytest.mark.parametrize("outlet, issuer", [
    ("UK Home Office", "united-kingdom"),
    ("House of Commons of Canada (via openparliament.ca)", "canada"),
    # the longest name wins: the department, not its state
    ("U.S. Department of State", "us-state-department"),
    # who carried it is not who issued it
    ("U.S. Department of State (reposted by Canada Daily)", "us-state-department"),
    ("Canada (quoted by the Iran Monitor)", "canada"),
    # newsrooms issue nothing, even when they name a state
    ("Iran News Agency", None),
    ("Agence France-Presse", None),
    ("Wikipedia", None),
    (None, None),
    ("", None),
    # a person or an armed group is not an issuer
    ("Hezbollah", None),
])
def test_issuer_of_an_outlet(outlet, issuer):
    assert issuer_of(outlet, REGISTRY, RULES) == issuer
