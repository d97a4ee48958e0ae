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
