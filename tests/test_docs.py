"""The README documents every command and module, runs as written, and keeps the two
set-up commands CI relies on."""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.backends import Neo4jBackend, neo4j_settings
from graph.cli import cli
from graph.store import Store
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


def test_the_layout_names_every_module():
    layout = README[README.index("## Layout"):]
    modules = [path for path in sorted((ROOT / "graph").rglob("*.py")) if path.stem != "__init__"]
    missing = [str(path.relative_to(ROOT)) for path in modules if f"`{path.stem}`" not in layout]
    assert not missing, f"modules the README's layout does not name: {missing}"


# -- the README's commands, run as written --------------------------------------------------

# What a README command needs that a test run lacks, and so is not run. Any other command
# runs; one that fails fails the test, so a command added to the README is checked too.
NOT_RUN = {
    "python3 -m venv .venv": "makes a virtualenv: the test runs in one already",
    ". .venv/bin/activate": "enters the virtualenv: the test runs in one already",
    "pip install -e .": "installs graphctl: the test runs the installed one",
    "bash scripts/test.sh": "runs the whole test suite, this test among them",
    "docker compose up -d --wait": "needs Docker; the test's own Neo4j server stands in for it",
    "cypher-shell": "needs Neo4j's cypher-shell client",
}
# What the output of some commands must show (the seeds loaded, then each command's point).
EXPECTED = {
    "graphctl load seeds/": "5 read",
    "graphctl contested": "contested link(s)",
    "graphctl link iran al-qaeda": "claim(s) between iran and al-qaeda",
    "graphctl extract seeds/001_5f754e46b432a733.txt": '"subject"',
    "graphctl export html -o out/network.html": "wrote out/network.html",
    "graphctl export stix -o out/bundle.json": "STIX 2.1 bundle",
    "graphctl query actor_profile -p actor irgc --csv": "direction",
    "graphctl status": "reachable: yes",
}


def readme_commands() -> list[tuple[int, str]]:
    """Each command line of the README's shell blocks, with the block it is in."""
    commands, block, in_block = [], 0, False
    for line in README.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_block = stripped in ("```sh", "```bash") if not in_block else False
            block += in_block
            continue
        if in_block and stripped and not stripped.startswith("#"):
            commands.append((block, stripped))
    return commands


def runnable(command: str) -> tuple[list[str], list[str]]:
    """The parts of a `a && b` line to run, and why the others are not."""
    run, reasons = [], []
    for part in (p.strip() for p in command.split(" && ")):
        reason = next((why for start, why in NOT_RUN.items() if part.startswith(start)), None)
        (reasons if reason else run).append(reason or part)
    return run, reasons


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A folder to run the README's commands in, as a user's checkout: the seeds (copied:
    review writes beside them), the queries, and the default embedded store."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    (folder / "cypher").symlink_to(ROOT / "cypher")
    return {"folder": folder, "env": {}}


def user_environment(exports: dict) -> dict:
    """The environment a user's shell has: graphctl on PATH, no store configured but the
    README's own exports."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GRAPHCTL_"))}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["COLUMNS"] = "120"
    return {**env, **exports}


NEEDS_SERVER = "the README's Neo4j commands need a server (NEO4J_URI; scripts/neo4j-server.sh run sets it)"


def apply_exports(line: str, exports: dict) -> bool:
    """`export NAME=VALUE...` as the shell applies it. The Docker block's server is the one
    `docker compose` would start; the test's own Neo4j stands in for it. False if there is none."""
    for assignment in shlex.split(line)[1:]:
        name, _, value = assignment.partition("=")
        exports[name] = value
    if "NEO4J_URI" not in exports:
        return True
    server = {k: v for k, v in os.environ.items() if k.startswith("NEO4J_")}
    exports.update(server)
    return "NEO4J_URI" in server


@pytest.mark.slow
@pytest.mark.parametrize("block,command", readme_commands(), ids=[c for _, c in readme_commands()])
def test_the_readmes_commands_run_as_written(workspace, block, command):
    exports = workspace["env"].setdefault(block, {})  # a block's exports hold for its later lines
    if command.startswith("export "):
        if not apply_exports(command, exports):
            workspace.setdefault("needs_server", set()).add(block)
            pytest.skip(NEEDS_SERVER)
        return
    if block in workspace.get("needs_server", ()):
        pytest.skip(NEEDS_SERVER)
    parts, reasons = runnable(command)
    if not parts:
        pytest.skip("; ".join(reasons))
    if "NEO4J_URI" in exports:
        with Store(Neo4jBackend(**neo4j_settings(exports["NEO4J_URI"]))) as store:
            store.clear()  # the test's server, as empty as a new one
    run = subprocess.run(["bash", "-c", " && ".join(parts)], cwd=workspace["folder"], env=user_environment(exports),
                         stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"{command}\n{output}"
    assert "Traceback" not in output and output.strip()
    assert EXPECTED.get(" && ".join(parts), "") in output
    for path in re.findall(r"-o (\S+)", command):
        assert (workspace["folder"] / path).stat().st_size > 0, path


def test_the_readmes_first_block_installs_loads_and_tests():
    first = [command for block, command in readme_commands() if block == 1]
    assert first == ["python3 -m venv .venv && . .venv/bin/activate && pip install -e . && graphctl load seeds/",
                     "bash scripts/test.sh"]
    assert runnable(first[0])[0] == ["graphctl load seeds/"]
