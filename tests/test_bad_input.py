"""Hostile input (issue 14): each class of fault, several inputs each, on both stores
where a store is involved. Nothing lost, nothing escapes, one line and an exit code."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import QueryError
from conftest import ROOT, SEEDS, STORE_KINDS, store_args


def invoke(args, **kwargs):
    if "--db" in args:  # the embedded store, even where NEO4J_URI names a server
        kwargs.setdefault("env", {"NEO4J_URI": None})
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kwargs)


def assert_one_error_line(result, codes=(1,)):
    """One line saying what is wrong (click's usage errors add their usage lines), never a traceback."""
    assert result.exit_code in codes, result.output
    errors = [line for line in result.output.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output


@pytest.fixture
def ready(store, registry):
    store.write_actors(registry.actors.values())
    return store


# -- 6. a read-only query has no effect outside the store ------------------------------

EMBEDDED_ESCAPES = [
    "COPY (MATCH (a:Actor) RETURN a.id) TO '{tmp}/out.csv'",
    "LOAD FROM '{tmp}/in.csv' RETURN *",
    "EXPORT DATABASE '{tmp}/dump'",
    "LOAD EXTENSION '{tmp}/ext.so'",
    "INSTALL json",
    "CALL threads=1",
    "MATCH (a:Actor) RETURN a.id LIMIT 1; COPY (MATCH (a:Actor) RETURN a.id) TO '{tmp}/out2.csv'",
    "MATCH (a:Actor) SET a.name = 'x' RETURN a.id",
    "CREATE (:Actor {id: 'x', name: 'X', kind: 'group'})",
]
NEO4J_ESCAPES = [
    "LOAD CSV FROM 'file://{tmp}/in.csv' AS line RETURN line",
    "LOAD CSV FROM 'file:///etc/hostname' AS line RETURN count(line)",
    "CALL dbms.components()",
    "CALL db.createLabel('X')",
    "CALL () { CREATE (:X) } IN TRANSACTIONS",
    "MATCH (a:Actor) SET a.name = 'x' RETURN a.id",
    "CREATE (:Actor {id: 'x', name: 'X', kind: 'group'})",
    "MATCH (a:Actor) RETURN a.id LIMIT 1; CREATE (:X)",
]


def test_a_read_only_query_reads_no_file_writes_none_and_loads_no_code(ready, tmp_path):
    (tmp_path / "in.csv").write_text("a,b\n1,2\n")
    marker = tmp_path / "ran"
    if ready.kind == "embedded":
        _native_library(tmp_path / "ext.so", marker)
    before = ready.counts()
    statements = EMBEDDED_ESCAPES if ready.kind == "embedded" else NEO4J_ESCAPES
    for statement in statements:
        with pytest.raises(QueryError, match="--write|one statement"):
            ready.query(statement.replace("{tmp}", str(tmp_path)), write=False)
    # LadybugDB's binder makes EXPORT DATABASE's folder while planning it: it stays empty
    leftovers = {p.name for p in tmp_path.iterdir() if not p.name.startswith("graph.lbug")}
    assert leftovers - {"dump"} == {"in.csv", *(["ext.so"] if ready.kind == "embedded" else [])}
    assert not any(tmp_path.glob("dump/*"))
    assert not marker.exists() and ready.counts() == before


def _native_library(path: Path, marker: Path):
    """A shared library that leaves `marker` when it is loaded."""
    source = path.with_suffix(".c")
    source.write_text('#include <stdio.h>\n__attribute__((constructor)) static void hit(void) '
                      f'{{ FILE *f = fopen("{marker}", "w"); if (f) fclose(f); }}\n')
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(path), str(source)], check=True)
    source.unlink()


def test_reading_queries_still_run_read_only(ready):
    for statement in ("MATCH (a:Actor) RETURN count(a)",
                      "MATCH (a:Actor) WHERE a.id = $id RETURN a.name",
                      "MATCH p = (a:Actor)-[:UNIT_OF*1..3]->(b:Actor) RETURN count(p)",
                      "UNWIND [1, 2] AS x RETURN x ORDER BY x DESC LIMIT 1",
                      "MATCH (a:Actor) OPTIONAL MATCH (a)-[:UNIT_OF]->(b) RETURN a.id, b.id ORDER BY a.id SKIP 1 LIMIT 2"):
        ready.query(statement, {"id": "iran"} if "$id" in statement else {}, write=False)
    from graph.analysis import run_shipped
    from graph.queries import shipped_queries

    for name in shipped_queries():
        run_shipped(ready, name)


# -- 4. output files: through symlinks, into FIFOs and devices, or to stdout -------------

@pytest.fixture(scope="module")
def gold_db(tmp_path_factory):
    """An embedded store holding the gold claims (no extraction: quick)."""
    from conftest import GOLD_CLAIMS

    db = tmp_path_factory.mktemp("gold") / "graph.lbug"
    result = invoke(["--db", str(db), "load", "--claims", str(GOLD_CLAIMS)])
    assert result.exit_code == 0, result.output
    return ["--db", str(db)]


OUTPUT_COMMANDS = [["export", "json"], ["export", "graphml"], ["report", "contested"]]


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=" ".join)
def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(gold_db, tmp_path, command):
    target = tmp_path / "real" / "out.data"
    target.parent.mkdir()
    target.write_text("old")
    os.chmod(target, 0o640)
    link, chain, dangling = tmp_path / "link", tmp_path / "chain", tmp_path / "dangling"
    link.symlink_to(target)
    chain.symlink_to(link)
    dangling.symlink_to(tmp_path / "real" / "new.data")
    for output in (link, chain, dangling):
        result = invoke([*gold_db, *command, "-o", str(output)])
        assert result.exit_code == 0, result.output
        assert output.is_symlink()
    assert target.read_text() != "old" and (target.stat().st_mode & 0o777) == 0o640
    assert (tmp_path / "real" / "new.data").read_text() == target.read_text()
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["new.data", "out.data"]  # no temporary left


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=" ".join)
def test_output_streams_into_a_fifo_and_a_device(gold_db, tmp_path, command):
    import threading

    fifo = tmp_path / "pipe.data"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = invoke([*gold_db, *command, "-o", str(fifo)])
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert fifo.is_fifo() and len(received[0]) > 100
    assert invoke([*gold_db, *command, "-o", "/dev/null"]).exit_code == 0
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=" ".join)
def test_output_dash_is_stdout_and_the_summary_goes_to_stderr(gold_db, command):
    done = subprocess.run([sys.executable, "-m", "graph.cli", *gold_db, *command, "-o", "-"], cwd=ROOT,
                          capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "NEO4J_URI"})
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 100 and "wrote" not in done.stdout
    assert not (ROOT / "-").exists()


@pytest.mark.parametrize("output", ["{tmp}", "{tmp}/file/under", "/proc/version", "/proc/graphctl/x.json",
                                    "/proc/self/status"])
def test_outputs_that_cannot_be_written_are_one_line(gold_db, tmp_path, output):
    (tmp_path / "file").write_text("a file, not a folder")
    result = invoke([*gold_db, "export", "json", "-o", output.replace("{tmp}", str(tmp_path))])
    assert_one_error_line(result, (1, 2))
    assert (tmp_path / "file").read_text() == "a file, not a folder"


# -- 2. two files, one document --------------------------------------------------------

ARTICLE = "The IRGC trained Hezbollah fighters in Lebanon in the 1990s.\n"
OTHER = "Iran hosted al-Qaeda leaders after 2001.\n"


def stored_documents(store) -> dict:
    return dict(store.query("MATCH (d:Document) RETURN d.name, d.path").rows)


def test_the_same_name_under_two_folders_is_not_merged(store, registry, tmp_path):
    from graph.pipeline import load

    a, b = tmp_path / "a", tmp_path / "b"
    for folder, text in ((a, ARTICLE), (b, OTHER)):
        (folder / "sub").mkdir(parents=True)
        (folder / "x.txt").write_text(text)
        (folder / "sub" / "y.md").write_text(text)
    for _ in range(2):  # a reload keeps the same owner
        summary = load(store, [a, b], registry=registry)
        skipped = {e.path: e.reason for e in summary.skipped}
        assert set(skipped) == {str(b / "x.txt"), str(b / "sub" / "y.md")}
        assert all("same document name" in reason and str(a) in reason for reason in skipped.values())
        assert stored_documents(store) == {"x.txt": str(a / "x.txt"), "sub/y.md": str(a / "sub" / "y.md")}
    # two files given directly, and one file given twice (that one is one document, not a clash)
    summary = load(store, [a / "x.txt", b / "x.txt", a / "x.txt"], registry=registry)
    assert [e.path for e in summary.skipped] == [str(b / "x.txt")]


def test_undecodable_names_stay_distinct(store, registry, tmp_path):
    from graph.pipeline import load

    folder = tmp_path / "corpus"
    folder.mkdir()
    for raw, text in ((b"\xff.txt", ARTICLE), (b"\xfe.txt", OTHER), (b"\xff\xfe.txt", ARTICLE + OTHER)):
        (Path(os.fsdecode(bytes(folder))) / os.fsdecode(raw)).write_text(text)
    summary = load(store, [folder], registry=registry)
    assert not summary.skipped
    assert set(stored_documents(store)) == {"\\xff.txt", "\\xfe.txt", "\\xff\\xfe.txt"}


# -- 3. stale claims files -------------------------------------------------------------

def test_claims_extracted_from_another_version_are_refused(store, registry, tmp_path):
    from graph.claimsio import write_claims
    from graph.documents import read_document
    from graph.errors import InputError
    from graph.extraction import Extractor
    from graph.pipeline import load

    folder = tmp_path / "corpus"
    folder.mkdir()
    document = folder / "x.txt"
    document.write_text(ARTICLE)
    old_claims = tmp_path / "old.claims.jsonl"
    with open(old_claims, "w") as stream:
        assert write_claims(Extractor(registry).extract(read_document(document, folder)), stream)
    document.write_text(OTHER + "Hezbollah opposed Israel in 2006.\n")
    load(store, [folder], registry=registry)
    current = store.query("MATCH (c:Claim) RETURN c.id ORDER BY c.id").rows
    with pytest.raises(InputError, match="another version"):
        load(store, [], claim_files=[old_claims], registry=registry)  # alone
    with pytest.raises(InputError, match="another version"):
        load(store, [folder], claim_files=[old_claims], registry=registry)  # with the current folder
    assert store.query("MATCH (c:Claim) RETURN c.id ORDER BY c.id").rows == current
    # the same claims as curated ones load beside the current version's
    curated = tmp_path / "curated.claims.jsonl"
    curated.write_text("".join(line.replace('"origin": "extracted"', '"origin": "curated"') + "\n"
                               for line in old_claims.read_text().splitlines()))
    load(store, [], claim_files=[curated], registry=registry)
    assert len(store.query("MATCH (c:Claim) RETURN c.id").rows) > len(current)


# -- 5. identifiers that break the graph ----------------------------------------------

@pytest.mark.parametrize("bad", ["iran|x", "Iran", "a b", "-x", "x\ny", "é", "x\u200b"])
def test_actor_ids_are_validated_where_claims_name_them(tmp_path, bad):
    from graph.claimsio import read_claims
    from graph.errors import InputError

    for key in ("subject", "object", "said_by"):
        record = {"doc": "d.txt", "subject": "iran", "predicate": "TRAINED", "object": "hezbollah",
                  "polarity": "affirms", key: bad}
        path = tmp_path / "c.claims.jsonl"
        path.write_text(json.dumps(record) + "\n")
        with pytest.raises(InputError, match=key):
            read_claims(path)


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_new_actor_with_a_pipe_is_refused_and_exports_still_work(kind, tmp_path):
    args = store_args(kind, tmp_path / "cli.lbug")
    path = tmp_path / "new.claims.jsonl"
    path.write_text(json.dumps({"doc": "d.txt", "subject": "x|y", "predicate": "TRAINED", "object": "iran",
                                "polarity": "affirms"}) + "\n")
    result = invoke([*args, "load", "--allow-new-actors", "--claims", str(path)])
    assert_one_error_line(result)
    assert "subject" in result.output
    assert invoke([*args, "export", "json", "-o", str(tmp_path / "out.json")]).exit_code == 0


# -- 9, 10, 13. lines without ends, files that are not files, invisible characters --------

def test_files_that_are_not_regular_are_skipped_without_reading(store, registry, tmp_path):
    from graph.pipeline import load

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE)
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "urandom.md").symlink_to("/dev/urandom")
    (folder / "dir.txt").mkdir()
    (folder / "fifo.claims.jsonl").symlink_to(folder / "fifo.txt")
    summary = load(store, [folder], registry=registry)
    skipped = {Path(e.path).name: e.reason for e in summary.skipped}
    assert {"fifo.txt", "zero.txt", "urandom.md", "fifo.claims.jsonl"} <= set(skipped)
    assert all("regular" in skipped[name] for name in ("fifo.txt", "zero.txt", "urandom.md", "fifo.claims.jsonl"))
    assert set(stored_documents(store)) == {"good.txt"}


def test_reads_are_bounded_as_they_happen(tmp_path):
    from graph.documents import read_bounded
    from graph.errors import DocumentError

    with pytest.raises(DocumentError, match="regular"):
        read_bounded(Path("/dev/zero"), 1000, "zero")
    with pytest.raises(DocumentError, match="limit"):
        read_bounded(Path("/proc/self/maps"), 10, "maps")  # its size reads 0
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(DocumentError, match="limit"):
        read_bounded(big, 4999, "big")
    assert read_bounded(big, 5000, "big") == b"x" * 5000


@pytest.mark.parametrize("text", ["\u200b\u200c\u200d", "\u00ad \u202e\u2066\u2069\n", "\ufeff\u2060\u200e\u200f"])
def test_a_file_of_only_invisible_characters_is_empty(tmp_path, text):
    from graph.documents import read_document
    from graph.errors import DocumentError

    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError, match="empty"):
        read_document(path)


@pytest.mark.parametrize("hidden", ["Hez\u00adbollah", "Hez\u200bbollah", "\u202eHezbollah\u202c", "Hez\u2060bol\u200dlah"])
def test_invisible_characters_inside_names_do_not_hide_an_actor(tmp_path, registry, hidden):
    from graph.documents import read_document
    from graph.extraction import Extractor

    path = tmp_path / "x.txt"
    path.write_text(f"The I\u200bRGC trained {hidden} fighters in Lebanon in the 1990s.\n", encoding="utf-8")
    claims = Extractor(registry).extract(read_document(path))
    assert {(c.subject, c.predicate, c.object) for c in claims} == {("irgc", "TRAINED", "hezbollah")}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_text(tmp_path, encoding):
    from graph.documents import read_document

    path = tmp_path / "x.txt"
    data = ARTICLE.encode(encoding)
    path.write_bytes(data if encoding != "utf-16-be" else b"\xfe\xff" + data)
    assert read_document(path).text == ARTICLE


def test_lines_without_sentence_ends_cost_linear_time_and_the_good_files_load(store, registry, tmp_path):
    import time

    from graph.pipeline import load

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE)
    words = "the IRGC trained Hezbollah and Iran supported Hamas while Syria hosted them "
    (folder / "long.txt").write_text(words * (200_000 // len(words)))
    (folder / "nospace.txt").write_text("Iran" + "x" * 1_200_000 + " trained Hezbollah.")
    started = time.monotonic()
    summary = load(store, [folder], registry=registry)
    assert time.monotonic() - started < 120
    assert not summary.skipped and set(stored_documents(store)) == {"good.txt", "long.txt", "nospace.txt"}


def test_bounded_sentences_keep_offsets_and_leave_prose_alone():
    from graph.documents import MAX_SENTENCE_CHARS, bound_sentences

    prose = (SEEDS / "003_0dd4d40f53b33c38.txt").read_text(encoding="utf-8")
    assert bound_sentences(prose) == prose
    for text in ("word " * 10_000, "x" * 10_000, ("a, " * 3000 + ". ") * 3):
        bounded = bound_sentences(text)
        assert len(bounded) == len(text)
        assert max(len(run) for run in re.split(r"\n|\. ", bounded)) <= MAX_SENTENCE_CHARS


# -- 13. honest summaries ----------------------------------------------------------------

@pytest.mark.parametrize("kind", STORE_KINDS)
def test_duplicate_claim_lines_are_counted_as_duplicates(kind, tmp_path):
    args = store_args(kind, tmp_path / "cli.lbug")
    line = json.dumps({"doc": "d.txt", "subject": "iran", "predicate": "TRAINED", "object": "hezbollah",
                       "polarity": "affirms", "evidence": "Iran trained Hezbollah."})
    other = line.replace("TRAINED", "SUPPORTED")
    path = tmp_path / "dup.claims.jsonl"
    path.write_text("\n".join([line] * 2000 + [other]) + "\n")
    result = invoke([*args, "load", "--claims", str(path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["curated"] == {"files": 1, "claims": 2, "duplicates": 1999}
    assert summary["graph"]["claims"] == 2


# -- 7. paths and values reach Cypher as parameters or quoted --------------------------------

@pytest.mark.parametrize("text", ["plain", "it's", "back\\slash\\", "\\'; MATCH (n) DETACH DELETE n //",
                                  'both \' and "', "new\nline", "ünï\u200bcode"])
def test_cypher_string_round_trips_on_the_embedded_engine(tmp_path, text):
    from graph.backends import EmbeddedBackend, cypher_string

    backend = EmbeddedBackend(tmp_path / "graph.lbug")
    try:
        assert backend.run(f"RETURN {cypher_string(text)}").rows == [[text]]
    finally:
        backend.close()


@pytest.mark.parametrize("folder", ["it's", 'a "quoted" one', "back\\slash", "x'); DROP TABLE Claim; //"])
def test_bulk_copy_works_from_any_temporary_folder(tmp_path, registry, monkeypatch, folder):
    import tempfile

    from graph.backends import EmbeddedBackend
    from graph.claimsio import read_claims
    from graph.store import Store
    from conftest import GOLD_CLAIMS

    temporary = tmp_path / folder
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setattr("graph.store.COPY_MIN_ROWS", 1)
    with Store(EmbeddedBackend(tmp_path / "graph.lbug")) as store:
        store.write_actors(registry.actors.values())
        claims = read_claims(GOLD_CLAIMS)
        store.replace_claim_set("curated:gold.claims.jsonl", claims)
        assert store.counts()["claims"] == len({c.id for c in claims})
    assert list(temporary.iterdir()) == []


# -- 8. untrusted text in other outputs ------------------------------------------------------

HOSTILE_TEXTS = ["\x1b]0;owned\x07title \x1b[2J\x1b[31mred", "[bold]markup[/] [/] [link=http://x]l[/link]",
                 "\x9b31mC1 \r\x08\x00\x0b\x0c\u202eevil", "ok `tick` ``two``"]
HOSTILE_DOCS = ["evil`) <b>x</b> `.txt", "\x1b[31mred.txt", "a\x01b.md"]


@pytest.fixture(params=STORE_KINDS)
def hostile_store(request, tmp_path):
    """A store whose claims carry escape sequences, markup and backticks in quotes and document names."""
    args = store_args(request.param, tmp_path / "cli.lbug")
    records = []
    for i, (doc, quote) in enumerate(zip(HOSTILE_DOCS * 2, HOSTILE_TEXTS)):
        records.append({"doc": doc, "subject": "iran", "predicate": "TRAINED", "object": "hezbollah",
                        "polarity": "affirms" if i % 2 else "denies", "said_by": "author" if i % 2 else "iran",
                        "when": "in \x1b[5m1999", "evidence": quote})
    path = tmp_path / "hostile.claims.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = invoke([*args, "load", "--claims", str(path)])
    assert result.exit_code == 0, result.output
    return args


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")


@pytest.mark.parametrize("command", [["link", "iran", "hezbollah"], ["contested"],
                                     ["query", "MATCH (c:Claim) RETURN c.quote, c.doc, c.time"],
                                     ["actor", "iran"]], ids=" ".join)
def test_terminal_tables_show_control_characters_and_markup_as_text(hostile_store, command):
    result = invoke([*hostile_store, *command])
    assert result.exit_code == 0, result.output
    assert not CONTROL.search(result.output.replace("\n", "")), repr(result.output)
    if command[0] in ("link", "query"):
        assert "[bold]" in result.output and "[link=" in result.output  # shown, not read as markup


def test_errors_and_skipped_files_are_one_printable_line(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "x\x1b[31m[red]y.txt").write_text("")
    (folder / "line\nbreak.txt").write_text("")
    result = invoke(["--db", str(tmp_path / "g.lbug"), "load", str(folder)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "[red]y" in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("skipped")]) == 2
    missing = invoke(["--db", str(tmp_path / "g.lbug"), "actor", "no\x1b[2Jbody[/]"])
    assert_one_error_line(missing) and "\x1b" not in missing.output


def test_the_markdown_report_keeps_document_names_inside_their_code_spans(hostile_store, tmp_path):
    from markdown_it import MarkdownIt

    brief = tmp_path / "brief.md"
    assert invoke([*hostile_store, "report", "contested", "-o", str(brief)]).exit_code == 0
    text = brief.read_text(encoding="utf-8")
    assert not CONTROL.search(text.replace("\n", ""))
    spans = [child.content for token in MarkdownIt().parse(text) if token.type == "inline"
             for child in token.children if child.type == "code_inline"]
    assert sorted(set(spans)) == sorted({"evil`) <b>x</b> `.txt", "?[31mred.txt", "a?b.md"})
    assert "<b>" not in MarkdownIt().render(text).replace("&lt;b&gt;", "")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_are_valid_whatever_the_text(hostile_store, tmp_path, fmt):
    import xml.etree.ElementTree as ElementTree

    import networkx as nx

    out = tmp_path / f"out.{fmt}"
    result = invoke([*hostile_store, "export", fmt, "-o", str(out), "--source", HOSTILE_DOCS[1]])
    assert result.exit_code == 0, result.output
    ElementTree.parse(out)  # well-formed
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    quotes = {data["quote"] for _, _, data in graph.edges(data=True)}
    assert quotes and all("\ufffd" in q or not CONTROL.search(q) for q in quotes)


# -- 11. clear errors instead of tracebacks ----------------------------------------------------

def test_a_store_folder_that_is_a_file_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    for command in (["load", str(SEEDS / "001_5f754e46b432a733.txt")], ["status"], ["contested"]):
        result = invoke(["--db", str(tmp_path / "file" / "graph.lbug"), *command])
        assert_one_error_line(result, (1, 3)) if command != ["status"] else None
        assert result.exit_code == 3 and "Traceback" not in result.output


@pytest.fixture
def read_only_store(tmp_path, gold_db):
    """The gold store on a file system mounted read-only (needs root to mount)."""
    import shutil

    mount = tmp_path / "ro"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        shutil.copy(gold_db[1], mount / "graph.lbug")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield ["--db", str(mount / "graph.lbug")]
    finally:
        subprocess.run(["umount", "-l", str(mount)])


def test_a_read_only_file_system_still_reads_and_a_write_says_why(read_only_store, tmp_path):
    for command in (["status"], ["contested", "--json"], ["query", "MATCH (a:Actor) RETURN count(a)"],
                    ["export", "json", "-o", str(tmp_path / "out.json")]):
        result = invoke([*read_only_store, *command])
        assert result.exit_code == 0, result.output
    result = invoke([*read_only_store, "load", "--claims", str(SEEDS.parent / "tests" / "data" / "gold.claims.jsonl")])
    assert_one_error_line(result, (3,))
    assert "Read-only file system" in result.output


@pytest.mark.parametrize("content", ["- file: a.txt\n  date: 2024-13-45\n", "- file: a.txt\n  date: [1, 2]\n",
                                     "- file: a.txt\n  title: {a: b}\n", "[" * 20000 + "]" * 20000 + "\n",
                                     "- file: a.txt\n  date: 2024-02-30\n"])
def test_bad_sources_yaml_is_one_line_and_nothing_is_stored_as_a_repr(tmp_path, content):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "sources.yaml").write_text(content)
    result = invoke(["--db", str(tmp_path / "g.lbug"), "load", str(folder)])
    assert_one_error_line(result)
    assert "sources.yaml" in result.output


def test_a_yaml_date_is_stored_as_a_date(store, registry, tmp_path):
    from graph.pipeline import load

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "sources.yaml").write_text("- file: a.txt\n  date: 2024-02-03\n  outlet: 42\n")
    load(store, [folder], registry=registry)
    assert store.query("MATCH (d:Document) RETURN d.date, d.outlet").rows == [["2024-02-03", "42"]]


def test_a_registry_nested_deep_is_one_line(tmp_path):
    registry = tmp_path / "actors.yaml"
    registry.write_text("- " * 5000 + "x\n")
    result = invoke(["--db", str(tmp_path / "g.lbug"), "load", "--registry", str(registry),
                     str(SEEDS / "001_5f754e46b432a733.txt")])
    assert_one_error_line(result, (1, 2))


@pytest.mark.parametrize("line", ["[" * 20000 + "]" * 20000, '{"doc": ' * 5000 + "1" + "}" * 5000,
                                  '{"doc": "d.txt", "subject": "iran", "predicate": "TRAINED", "object": "hezbollah", '
                                  '"polarity": "affirms", "evidence": "lone \\ud800 surrogate"}',
                                  '{"doc": "d\\udfff.txt", "subject": "iran", "predicate": "TRAINED", '
                                  '"object": "hezbollah", "polarity": "affirms"}'])
def test_bad_claims_lines_are_one_line(tmp_path, line):
    path = tmp_path / "x.claims.jsonl"
    path.write_text(line + "\n")
    result = invoke(["--db", str(tmp_path / "g.lbug"), "load", "--claims", str(path)])
    assert_one_error_line(result)
    assert "x.claims.jsonl:1" in result.output


@pytest.mark.parametrize("args", [["load", "--max-size", "nan", "x"], ["load", "--max-size", "inf", "x"],
                                  ["contested", "--limit", str(2**64)], ["contested", "--quotes", str(2**70)],
                                  ["report", "contested", "--limit", "99999999999999999999999"],
                                  ["query", "MATCH (a:Actor) RETURN a.id LIMIT $n", "-p", "n", str(2**64)],
                                  ["query", "RETURN $n", "-p", "n", f"[1, {2**65}]"]])
def test_numbers_out_of_range_are_one_line(gold_db, args):
    assert_one_error_line(invoke([*gold_db, *args]), (2,))


def test_an_oversized_buffer_pool_is_one_line(gold_db, monkeypatch):
    for value in ("100000000", str(2**80)):
        monkeypatch.setenv("GRAPHCTL_BUFFER_POOL_MB", value)
        result = invoke([*gold_db, "contested"], env={"NEO4J_URI": None, "GRAPHCTL_BUFFER_POOL_MB": value})
        assert_one_error_line(result, (3,))
        assert "GRAPHCTL_BUFFER_POOL_MB" in result.output


# -- 1. disk full ---------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 64 MiB tmpfs (needs root to mount)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (not root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)])


def fill(disk: Path, leave_bytes: int) -> Path:
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as stream:
        stream.truncate(0)
        stream.write(b"\0" * max(0, free - leave_bytes))
    return filler


def counts(args) -> dict:
    result = invoke([*args, "status", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["counts"]


def test_a_full_disk_refuses_the_load_leaves_the_store_and_the_next_load_succeeds(small_disk, monkeypatch):
    from conftest import GOLD_CLAIMS

    monkeypatch.setenv("GRAPHCTL_MIN_FREE_MB", "8")
    args = ["--db", str(small_disk / "graph.lbug")]
    first = invoke([*args, "load", "--claims", str(GOLD_CLAIMS)], env={"NEO4J_URI": None, "GRAPHCTL_MIN_FREE_MB": "8"})
    assert first.exit_code == 0, first.output
    before = counts(args)
    for leave in (0, 100_000, 4 * 2**20):
        filler = fill(small_disk, leave)
        for command in (["load", str(SEEDS)], ["load", "--claims", str(GOLD_CLAIMS), "--force"],
                        ["query", "--write", "CREATE (:Actor {id: 'x', name: 'X', kind: 'group'})"]):
            result = invoke([*args, *command], env={"NEO4J_URI": None, "GRAPHCTL_MIN_FREE_MB": "8"})
            assert_one_error_line(result, (3,))
            assert "free" in result.output
            assert counts(args) == before
        filler.unlink()
    result = invoke([*args, "load", str(SEEDS)], env={"NEO4J_URI": None, "GRAPHCTL_MIN_FREE_MB": "8"})
    assert result.exit_code == 0, result.output
    assert counts(args)["documents"] == 5


@pytest.mark.parametrize("cut", [1, 100, 5000])
def test_repair_brings_a_store_with_a_cut_log_back_to_its_last_whole_transaction(tmp_path, cut):
    from conftest import GOLD_CLAIMS
    from graph.claimsio import read_claims

    db = tmp_path / "graph.lbug"
    script = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
from graph.actors import Registry
from graph.backends import EmbeddedBackend
from graph.claimsio import read_claims
from graph.store import Store
store = Store(EmbeddedBackend({str(db)!r}))
store.write_actors(Registry.from_yaml({str(SEEDS / "actors.yaml")!r}).actors.values())
store.reserve(0)
store.backend.run("CHECKPOINT")
claims = read_claims({str(GOLD_CLAIMS)!r})
store.replace_claim_set("curated:first", claims[:50])
store.replace_claim_set("curated:second", claims[50:100])
os._exit(0)  # no checkpoint: both transactions are in the log only
"""
    subprocess.run([sys.executable, "-c", script], check=True, env={k: v for k, v in os.environ.items()
                                                                    if k != "NEO4J_URI"})
    log = Path(f"{db}.wal")
    with open(log, "r+b") as stream:  # the second commit cut short, as by a full disk
        stream.truncate(log.stat().st_size - cut)
    args = ["--db", str(db)]
    for command in (["status"], ["contested"], ["load", "--claims", str(GOLD_CLAIMS)]):
        result = invoke([*args, *command])
        assert result.exit_code == 3 and "graphctl repair" in result.output
    repaired = invoke([*args, "repair", "--json"])
    assert repaired.exit_code == 0, repaired.output
    report = json.loads(repaired.output)
    first = read_claims(GOLD_CLAIMS)[:50]
    assert report["repaired"] and report["counts"]["claims"] == len({c.id for c in first})  # the second is gone
    assert "nothing to repair" in invoke([*args, "repair"]).output
    assert invoke([*args, "load", "--claims", str(GOLD_CLAIMS)]).exit_code == 0


@pytest.mark.parametrize("where", ["--claims", "--registry", "actors.yaml", "sources.yaml"])
def test_a_fifo_for_a_claims_registry_or_sources_file_is_refused_not_waited_on(tmp_path, where):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    fifo = tmp_path / "fifo.claims.jsonl" if where.startswith("--") else folder / where
    os.mkfifo(fifo)
    args = ["--db", str(tmp_path / "g.lbug"), "load", str(folder)]
    result = invoke([*args, where, str(fifo)] if where.startswith("--") else args)
    assert_one_error_line(result)
    assert "not a regular file" in result.output
