"""The README documents every command and the two set-up commands CI relies on."""
from graph.cli import cli
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    missing = [name for name in cli.commands if f"graphctl {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_ci_runs_the_readmes_test_command():
    assert "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e . && graphctl load seeds/" in README


def test_every_shipped_query_is_in_the_readme():
    for path in (ROOT / "cypher").glob("*.cypher"):
        assert path.stem in README, path.stem


def _imported(folder: str) -> dict[str, str]:
    """Third-party modules imported at any depth of the .py files under `folder`: module -> a file."""
    import ast
    import sys

    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            for name in names:
                top = name.split(".")[0]
                local = any((ROOT / where / f"{top}.py").exists() for where in (folder, "scripts"))
                if top not in sys.stdlib_module_names and not local and top not in ("graph", "conftest"):
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_library_imported_directly_is_declared():
    import re
    from importlib.metadata import packages_distributions

    import pytest

    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements):
        return {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}

    runtime = names(project["dependencies"])
    distributions = {module: {d.lower().replace("_", "-") for d in dists}
                     for module, dists in packages_distributions().items()}
    for folder, declared in (("graph", runtime), ("tests", runtime | names(project["optional-dependencies"]["test"]))):
        undeclared = {module: where for module, where in _imported(folder).items()
                      if not distributions.get(module, {module}) & declared}
        assert not undeclared, f"imported in {folder}/ but not declared in pyproject.toml: {undeclared}"


def test_each_dependency_is_declared_once():
    """Two lines for one library can disagree on its versions (numpy was declared twice)."""
    import re
    from collections import Counter

    import pytest

    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for group, requirements in {"dependencies": project["dependencies"], **project["optional-dependencies"]}.items():
        names = Counter(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements)
        assert not [name for name, n in names.items() if n > 1], group


def test_no_private_names_or_files_of_libraries_are_used():
    """graph/ uses libraries through their public APIs: no `module._private` names, and no
    `module.__file__` (a package's file layout is not an API)."""
    import ast

    libraries = set(_imported("graph"))
    used = []
    for path in sorted((ROOT / "graph").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                aliases.update({(a.asname or a.name).split(".")[0]: a.name for a in node.names})
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                aliases.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
                used += [f"{path.name}: from {node.module} import {a.name}" for a in node.names
                         if a.name.startswith("_") and node.module.split(".")[0] in libraries]
        aliases = {name: module for name, module in aliases.items() if module.split(".")[0] in libraries}
        used += [f"{path.name}: {node.value.id}.{node.attr}" for node in ast.walk(tree)
                 if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                 and node.value.id in aliases and node.attr.startswith("_")]
    assert not used, used
