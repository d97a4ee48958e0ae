import pytest

from graph.actors import Registry
from graph.errors import InputError


def ids(registry, text):
    return [m.actor_id for m in registry.find_mentions(text)]


def test_every_gold_actor_is_in_the_registry(registry):
    import yaml
    from conftest import DATA

    gold = yaml.safe_load((DATA / "gold.actors.yaml").read_text(encoding="utf-8"))
    assert {a["id"] for a in gold} <= set(registry.actors)


@pytest.mark.parametrize("text", ["al-Qaeda", "al Qaeda", "Al-Qa’ida", "al-Qa'ida", "AL QAEDA", "Al Qaida"])
def test_alias_variants_of_case_hyphen_and_apostrophe(registry, text):
    assert ids(registry, f"They met {text} there.") == ["al-qaeda"]


def test_transliterations_and_metonyms(registry):
    assert ids(registry, "Hizballah and Hezbollah") == ["hezbollah", "hezbollah"]
    assert ids(registry, "the Qods Force") == ["quds-force"]
    assert ids(registry, "Tehran and Washington") == ["iran", "united-states"]


def test_acronyms_keep_their_case_so_pronouns_are_not_actors(registry):
    assert ids(registry, "They told us the US was there.") == ["united-states"]


def test_longest_alias_wins(registry):
    assert ids(registry, "the Islamic Revolutionary Guard Corps") == ["irgc"]


def test_structure_chain(registry):
    assert registry.ancestors("quds-force") == ["irgc", "iran"]
    assert registry.ancestors("iran") == []


def write(tmp_path, text):
    path = tmp_path / "actors.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_alias_is_data_not_code(tmp_path):
    path = write(tmp_path, "- id: iran\n  name: Iran\n  kind: state\n  aliases: [Persia]\n")
    assert ids(Registry.from_yaml(path), "Persia said so") == ["iran"]


@pytest.mark.parametrize("text, line, field", [
    ("- id: iran\n  name: Iran\n  kind: country\n", 1, "kind"),
    ("- id: iran\n  name: Iran\n  kind: state\n- id: Bad Id\n  name: X\n  kind: state\n", 4, "id"),
    ("- id: iran\n  name: Iran\n  kind: state\n- id: iran\n  name: Iran\n  kind: state\n", 4, "id"),
    ("- id: irgc\n  name: IRGC\n  kind: government_body\n  part_of: nowhere\n", 1, "part_of"),
    ("- id: iran\n  kind: state\n", 1, "name"),
    ("- id: iran\n  name: Iran\n  kind: state\n  aliases: Persia\n", 1, "aliases"),
])
def test_malformed_registry_names_file_line_and_field(tmp_path, text, line, field):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as error:
        Registry.from_yaml(path)
    assert (error.value.line, error.value.field) == (line, field)
    assert str(path) in str(error.value)


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "- id: iran\n  name: [unclosed\n")
    with pytest.raises(InputError) as error:
        Registry.from_yaml(path)
    assert error.value.line is not None


# -- the shipped registry -------------------------------------------------------------

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from graph.actors import Spelling, check_registry
from graph.model import Actor
from graph.pipeline import SHIPPED_REGISTRY, default_registry_path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
DEV_EXTRA = ROOT / "scripts" / "registry" / "dev-extra.yaml"


@pytest.fixture(scope="module")
def shipped():
    return Registry.from_yaml(SHIPPED_REGISTRY)


def test_the_shipped_registry_is_the_default_and_is_broad(shipped):
    assert default_registry_path() == SHIPPED_REGISTRY
    assert len(shipped) >= 600
    kinds = {a.kind for a in shipped.actors.values()}
    assert kinds == {"state", "government_body", "armed_group", "organization", "person", "group"}
    assert check_registry(SHIPPED_REGISTRY) == []


def test_every_entry_of_the_shipped_registry_names_its_source():
    records = yaml.safe_load(SHIPPED_REGISTRY.read_text(encoding="utf-8"))
    assert all(isinstance(r.get("source"), str) and r["source"].strip() for r in records)


def test_the_seeds_ids_and_the_dev_gold_ids_are_all_in_the_shipped_registry(shipped):
    seeds = yaml.safe_load((DATA_DIR / "gold.actors.yaml").read_text(encoding="utf-8"))
    assert {a["id"] for a in seeds} <= set(shipped.actors)
    dev_ids = {line.strip() for line in (DATA_DIR / "dev.actor-ids.txt").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert len(dev_ids) > 250
    assert sorted(dev_ids - set(shipped.actors)) == []


def test_the_dev_gold_actors_keep_their_ids_kinds_and_aliases(shipped):
    spec = yaml.safe_load((ROOT / "scripts" / "registry" / "shared.yaml").read_text(encoding="utf-8"))
    dropped = {(actor, alias) for actor, aliases in (spec.get("drop") or {}).items() for alias in aliases}
    for entry in yaml.safe_load(DEV_EXTRA.read_text(encoding="utf-8")):
        actor = shipped.get(entry["id"])
        assert actor is not None and actor.kind == entry["kind"], entry["id"]
        held = set(actor.aliases) | set(actor.shared_aliases)
        missing = [a for a in entry["aliases"] if a not in held and (entry["id"], a) not in dropped]
        assert missing == [], entry["id"]


@pytest.mark.parametrize("text, expected", [
    ("States and ministries: Tehran, Damascus, Riyadh, Moscow, Beijing and Islamabad.",
     ["iran", "syria", "saudi-arabia", "russia", "china", "pakistan"]),
    ("The Houthis, or Ansar Allah, and Kata'ib Hizballah met Asa'ib Ahl al-Haq.",
     ["houthis", "houthis", "kataib-hezbollah", "asaib-ahl-al-haq"]),
    ("AQAP, AQIM, al-Shabaab, HTS, the TTP and the Haqqani Network.",
     ["aqap", "aqim", "al-shabaab", "hayat-tahrir-al-sham", "ttp", "haqqani-network"]),
    ("OFAC, the IAEA, the UN Security Council, NATO and the European Union.",
     ["ofac", "iaea", "un-security-council", "nato", "european-union"]),
    ("Lashkar-e-Tayyiba and the Popular Mobilization Forces; Palestinian Islamic Jihad.",
     ["lashkar-e-taiba", "popular-mobilization-forces", "palestinian-islamic-jihad"]),
    ("The Syrian Arab Republic, the Hashemite Kingdom of Jordan and the Russian Federation.",
     ["syria", "jordan", "russia"]),
])
def test_the_shipped_registry_knows_the_field(shipped, text, expected):
    assert ids(shipped, text) == expected


def test_the_shipped_registry_has_structure(shipped):
    assert shipped.ancestors("quds-force") == ["irgc", "iran"]
    assert shipped.ancestors("ofac") == ["us-treasury", "united-states"]
    assert shipped.ancestors("iskp") == ["isis"]
    assert shipped.ancestors("aqap") == ["al-qaeda"]


def test_the_shipped_registry_is_what_the_build_script_makes():
    pytest.importorskip("pycountry")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_registry.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# -- transliteration and boundaries ------------------------------------------------------

@pytest.mark.parametrize("text, actor", [
    ("al-Qaeda", "al-qaeda"), ("al-Qaida", "al-qaeda"), ("el-Qa'ida", "al-qaeda"), ("Al Qaidah", "al-qaeda"),
    ("Hezbollah", "hezbollah"), ("Hizballah", "hezbollah"), ("Hizbullah", "hezbollah"), ("Hizbollah", "hezbollah"),
    ("Osama bin Laden", "osama-bin-laden"), ("Usama bin Ladin", "osama-bin-laden"), ("Osama ibn Ladin", "osama-bin-laden"),
    ("the Qods Force", "quds-force"), ("the Quds Force", "quds-force"),
    ("Khalid Sheikh Muhammad", "khalid-sheikh-mohammed"), ("Khaled Sheikh Mohammad", "khalid-sheikh-mohammed"),
    ("Qasim Soleimani", "qasem-soleimani"), ("Qassem Suleimani", "qasem-soleimani"),
    ("Türkiye", "turkey"), ("Turkiye", "turkey"), ("Bogota", "colombia"), ("Bogotá", "colombia"),
])
def test_spelling_variants_come_from_rules_not_per_actor_aliases(shipped, text, actor):
    assert ids(shipped, f"Officials said {text} was involved.") == [actor]


def test_variant_rules_are_data(tmp_path):
    registry_path = write(tmp_path, "- id: x\n  name: Jabhat Fatah\n  kind: armed_group\n")
    assert ids(Registry.from_yaml(registry_path), "Jebhat Fateh attacked") == []
    rules = tmp_path / "matching.yaml"
    rules.write_text("variants:\n  - [jabhat, jebhat]\n  - [fatah, fateh]\nstopwords: [the]\n", encoding="utf-8")
    assert ids(Registry.from_yaml(registry_path, Spelling.from_yaml(rules)), "Jebhat Fateh attacked") == ["x"]


def test_a_word_in_two_variant_groups_is_an_error(tmp_path):
    rules = tmp_path / "matching.yaml"
    rules.write_text("variants:\n  - [qaeda, qaida]\n  - [qaida, kaida]\n", encoding="utf-8")
    with pytest.raises(InputError, match="two variant groups"):
        Spelling.from_yaml(rules)


@pytest.mark.parametrize("text, expected", [
    ("anti-Iran protests", ["iran"]),
    ("Hezbollah-backed fighters", ["hezbollah"]),
    ("the Iran–Iraq war", ["iran", "iraq"]),
    ("the Iran—Iraq war", ["iran", "iraq"]),
    ("pro-Hezbollah and ex-Taliban", ["hezbollah", "taliban"]),
    ("the IRGC-QF and the IRGC–QF", ["quds-force", "quds-force"]),
    ("the Clinton-Yeltsin exchanges", ["bill-clinton"]),  # a compound: no name after its hyphen
])
def test_hyphens_and_dashes_are_boundaries(registry, text, expected):
    assert ids(registry, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("the Islamic State of Iraq and the Levant", ["isis"]),
    ("Iran's Islamic Revolutionary Guard Corps", ["iran", "irgc"]),
    ("IRGC’s Quds Force", ["quds-force"]),
    ("the U.S. Treasury Department", ["us-treasury"]),
    ("al-Qaeda in the Arabian Peninsula", ["aqap"]),
    ("Islamic State Khorasan", ["iskp"]),
])
def test_the_longest_alias_wins(shipped, text, expected):
    assert ids(shipped, text) == expected


DETERMINISM = """
import json, sys
from graph.actors import Registry
from graph.pipeline import SHIPPED_REGISTRY
registry = Registry.from_yaml(SHIPPED_REGISTRY)
text = sys.stdin.read()
print(json.dumps([(m.actor_id, m.start, m.end) for m in registry.find_mentions(text)]))
"""


def test_matching_does_not_depend_on_the_hash_seed():
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text += " Hizballah, al-Qaida, Qods Force, IRGC-QF, U.S., US, Hadi, the Treasury, Dawa, Mujahedin."
    results = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", DETERMINISM], input=text, capture_output=True, text=True,
                             env=env, cwd=ROOT, check=True)
        results.add(run.stdout)
    assert len(results) == 1
    assert len(json.loads(results.pop())) > 100


# -- shared aliases ---------------------------------------------------------------------

SHARED = """\
- id: abdrabbuh-mansur-hadi
  name: Abd Rabbuh Mansur Hadi
  kind: person
  aliases: [Abd Rabbuh Mansur Hadi, President Hadi]
  shared_aliases: [Hadi]
- id: hadi-al-amiri
  name: Hadi al-Amiri
  kind: person
  aliases: [Hadi al-Amiri]
  shared_aliases: [Hadi]
- id: amal-movement
  name: Amal Movement
  kind: organization
  aliases: [Amal Movement]
  shared_aliases: [Amal]
- id: islamic-state
  name: Islamic State
  kind: armed_group
  aliases: [Islamic State]
  shared_aliases: [IS]
- id: intelligence-service
  name: Intelligence Service
  kind: government_body
  aliases: [Intelligence Service]
  shared_aliases: [IS]
"""


@pytest.fixture
def shared(tmp_path):
    return Registry.from_yaml(write(tmp_path, SHARED))


def test_an_alias_two_actors_hold_undeclared_is_an_error_naming_both(tmp_path):
    text = ("- id: iran\n  name: Iran\n  kind: state\n  aliases: [Tehran]\n"
            "- id: tehran-city\n  name: Tehran city\n  kind: group\n  aliases: [Tehran]\n")
    path = write(tmp_path, text)
    with pytest.raises(InputError) as error:
        Registry.from_yaml(path)
    assert (error.value.line, error.value.field) == (5, "aliases")
    message = str(error.value)
    assert "tehran-city" in message and "'iran'" in message and f"{path}:1" in message


@pytest.mark.parametrize("first, second", [
    ("aliases: [Hadi]", "shared_aliases: [Hadi]"),   # declared on one side only
    ("aliases: [al-Qaeda]", "aliases: [al Qaida]"),  # the same alias through spelling variants
    ("aliases: [Hezbollah]", "aliases: [HIZBALLAH]"),
])
def test_an_alias_shared_without_both_declaring_it_is_refused(tmp_path, first, second):
    path = write(tmp_path, f"- id: a\n  name: Ayy\n  kind: person\n  {first}\n"
                           f"- id: b\n  name: Bee\n  kind: person\n  {second}\n")
    with pytest.raises(InputError, match="shared_aliases"):
        Registry.from_yaml(path)


def test_a_shared_alias_is_resolved_by_the_full_name_before_it(shared):
    text = "Hadi al-Amiri leads Badr. Later Hadi said so. Abd Rabbuh Mansur Hadi fled; Hadi spoke."
    assert ids(shared, text) == ["hadi-al-amiri", "hadi-al-amiri", "abdrabbuh-mansur-hadi", "abdrabbuh-mansur-hadi"]


def test_a_shared_alias_is_resolved_by_a_full_name_just_after_it(shared):
    assert ids(shared, "Hadi, that is President Hadi of Yemen, spoke.") == \
        ["abdrabbuh-mansur-hadi", "abdrabbuh-mansur-hadi"]


def test_a_shared_alias_is_resolved_by_the_abbreviation_the_document_defines(shared):
    text = "The Intelligence Service (IS) and the Islamic State clashed. IS said it won."
    assert ids(shared, text) == ["intelligence-service", "intelligence-service", "islamic-state", "intelligence-service"]


@pytest.mark.parametrize("text", [
    "Hadi spoke.",                                      # no candidate named
    "Hadi spoke. " + "Nothing else happened. " * 40 + "Hadi al-Amiri left.",  # named too far after
    "Amal said so.",                                   # a shared alias with one holder, never named
])
def test_an_unresolved_shared_alias_names_nobody_not_the_first_holder(shared, text):
    assert "abdrabbuh-mansur-hadi" not in ids(shared, text)
    assert "amal-movement" not in ids(shared, text)


def test_a_shared_alias_with_one_holder_needs_the_document_to_name_it(shared):
    assert ids(shared, "The Amal Movement met. Amal said so.") == ["amal-movement", "amal-movement"]


def test_an_abbreviation_the_document_defines_names_its_actor(registry):
    text = "The Quds Force (QF) trained them. QF denied it; the QFs did not."
    assert ids(registry, text) == ["quds-force", "quds-force"]


def test_an_abbreviation_the_document_defines_overrides_the_registrys(tmp_path):
    # the registry gives "AAB" to one group; this document defines it, after an "or", for another
    path = write(tmp_path, "- id: azzam\n  name: Abdallah Azzam Brigades\n  kind: armed_group\n  aliases: [AAB]\n"
                           "- id: ashtar\n  name: Al-Ashtar Brigades\n  kind: armed_group\n  aliases: [Al-Ashtar Brigades]\n")
    registry = Registry.from_yaml(path)
    assert ids(registry, "AAB struck. The Al-Ashtar Brigades, or AAB, struck. AAB denied it.") == \
        ["azzam", "ashtar", "ashtar"]
    assert ids(registry, "The Al-Ashtar Brigades (AAB) struck. AAB denied it.") == ["ashtar", "ashtar"]
    assert ids(registry, "AAB struck before the Al-Ashtar Brigades, or AAB") == ["azzam", "ashtar"]


@pytest.mark.parametrize("text", [
    "TEHRAN (AFP) - The IRGC spoke. AFP could not confirm it.",
    "Iran (IRNA) said so. IRNA is a news agency.",
    "Israel (AP) said so. AP reported it.",
])
def test_a_dateline_or_an_unrelated_parenthesis_defines_nothing(registry, text):
    assert set(ids(registry, text)) <= {"iran", "irgc", "israel"}


# -- registry sanity (issue 14, item 12) --------------------------------------------------

@pytest.mark.parametrize("text, line, field, actor", [
    ("- id: iran\n  name: Iran\n  kind: state\n  part_of: iran\n", 1, "part_of", "iran"),
    ("- id: a\n  name: Aa\n  kind: state\n  part_of: b\n- id: b\n  name: Bb\n  kind: state\n  part_of: a\n",
     1, "part_of", "a"),
    ("- id: a\n  name: Aa\n  kind: state\n- id: b\n  name: Bb\n  kind: state\n  part_of: c\n"
     "- id: c\n  name: Cc\n  kind: state\n  part_of: d\n- id: d\n  name: Dd\n  kind: state\n  part_of: b\n",
     4, "part_of", "b"),
])
def test_part_of_cycles_and_self_reference_are_refused(tmp_path, text, line, field, actor):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as error:
        Registry.from_yaml(path)
    assert (error.value.line, error.value.field) == (line, field)
    assert f"actor '{actor}'" in str(error.value) and str(path) in str(error.value)


@pytest.mark.parametrize("alias", ["the", "he", "He", "of the", "they", "The"])
def test_stopword_aliases_are_refused(tmp_path, alias):
    path = write(tmp_path, f"- id: iran\n  name: Iran\n  kind: state\n- id: x\n  name: Xx\n  kind: group\n"
                           f"  aliases: [Xx, \"{alias}\"]\n")
    with pytest.raises(InputError) as error:
        Registry.from_yaml(path)
    assert (error.value.line, error.value.field) == (4, "aliases")
    assert "actor 'x'" in str(error.value) and "stopwords" in str(error.value)


@pytest.mark.parametrize("alias", ["US", "IT", "the US", "the Taliban", "He Yong"])
def test_acronyms_and_names_with_a_stopword_are_fine(tmp_path, alias):
    path = write(tmp_path, f"- id: x\n  name: Xx\n  kind: group\n  aliases: [\"{alias}\"]\n")
    assert ids(Registry.from_yaml(path), f"Then {alias} spoke.") == ["x"]


@pytest.mark.parametrize("kind", ["country", "State", "militia", ""])
def test_unknown_kinds_are_refused(tmp_path, kind):
    path = write(tmp_path, f"- id: iran\n  name: Iran\n  kind: \"{kind}\"\n")
    with pytest.raises(InputError) as error:
        Registry.from_yaml(path)
    assert (error.value.line, error.value.field) == (1, "kind")


def test_a_registry_built_in_code_is_checked_too():
    with pytest.raises(InputError, match="cycle"):
        Registry([Actor("a", "Aa", "state", [], "b"), Actor("b", "Bb", "state", [], "a")])
    with pytest.raises(InputError, match="shared_aliases"):
        Registry([Actor("a", "Aa", "state", ["Same"]), Actor("b", "Bb", "state", ["same"])])


# -- graphctl actors check ---------------------------------------------------------------

def test_actors_check_prints_one_line_per_problem_and_exits_2(tmp_path):
    from click.testing import CliRunner

    from graph.cli import cli

    path = write(tmp_path, "- id: a\n  name: Aa\n  kind: country\n  aliases: [the]\n"
                           "- id: b\n  name: Bb\n  kind: state\n  part_of: b\n  aliases: [Hadi]\n"
                           "- id: c\n  name: Cc\n  kind: state\n  aliases: [Hadi]\n"
                           "- id: a\n  name: Dd\n  kind: state\n")
    result = CliRunner().invoke(cli, ["actors", "check", str(path)])
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5
    assert all(line.startswith(f"{path}:") for line in lines)
    assert any(":1: actor 'a': field 'kind'" in line for line in lines)
    assert any(":1: actor 'a': field 'aliases'" in line and "stopwords" in line for line in lines)
    assert any(":5: actor 'b': field 'part_of'" in line for line in lines)
    assert any(":10: actor 'c': field 'aliases'" in line and f"{path}:5" in line for line in lines)
    assert any(":14: actor 'a': field 'id'" in line and "duplicate" in line for line in lines)


def test_actors_check_passes_the_shipped_and_the_seeds_registries():
    from click.testing import CliRunner

    from graph.cli import cli

    for args in (["actors", "check"], ["actors", "check", str(ROOT / "seeds" / "actors.yaml")]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "no problems" in result.stdout


@pytest.mark.parametrize("text, found", [
    ("Let us see what LeT did next.", [("lashkar-e-taiba", "LeT")]),    # the verb is not the group
    ("JeM claimed it; jem is a word too.", [("jaish-e-mohammed", "JeM")]),
])
def test_short_aliases_with_a_capital_inside_are_matched_with_their_case(text, found):
    from graph.pipeline import SHIPPED_REGISTRY

    registry = Registry.from_yaml(SHIPPED_REGISTRY)
    assert [(m.actor_id, m.text) for m in registry.find_mentions(text)] == found
