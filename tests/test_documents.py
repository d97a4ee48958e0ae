"""Reading documents from the open web: every bad file is one clear reason, the good ones load."""
import contextlib
import os
import tempfile
from pathlib import Path

import pytest

from graph.documents import read_document, scan, load_sources
from graph.errors import DocumentError, InputError
from graph.pipeline import load

ARTICLE = "The IRGC trained Hezbollah fighters in Lebanon in the 1990s.\n"


@pytest.fixture
def hostile_folder(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    nested = folder.joinpath(*[f"level{i}" for i in range(30)])
    nested.mkdir(parents=True)
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "notes.md").write_text("# Notes\n\nIran hosted al-Qaeda leaders after 2001.\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Téhéran a formé le Hezbollah. The IRGC trained Hezbollah.".encode("latin-1"))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "invalid-utf8.txt").write_bytes(b"\xff\xfe\xfa" * 3000 + b"\x00\x81\x8d")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_bytes(b"Iran. " * (50 * 1024 * 1024 // 6))
    (folder / "page.html").write_text(
        "<html><head><title>T</title><style>body{color:red}</style><script>window.evil=1</script></head>"
        "<body><nav>Home | About</nav><article><h1>Tehran and al-Qaeda</h1>"
        "<p>Iran hosted al-Qaeda leaders in Tehran after 2001, according to the 9/11 Commission report, "
        "which described the ties in detail over many pages of testimony.</p>"
        "<p>The IRGC trained Hezbollah fighters in Lebanon during the 1990s, officials said.</p>"
        "</article><script>document.write('injected')</script></body></html>", encoding="utf-8")
    (folder / "ايران.txt").write_text(ARTICLE, encoding="utf-8")
    (nested / "deep.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def reasons(corpus_skipped):
    return {Path(e.path).name: e.reason for e in corpus_skipped}


def test_a_hostile_folder_loads_the_good_files_and_names_each_bad_one(store, hostile_folder):
    summary = load(store, [hostile_folder])
    skipped = reasons(summary.skipped)
    assert "binary" in skipped["binary.txt"]
    assert "empty" in skipped["empty.txt"]
    assert "limit" in skipped["huge.txt"]
    assert "encoding" in skipped["invalid-utf8.txt"] or "binary" in skipped["invalid-utf8.txt"]
    assert "symlink loop" in skipped["loop"]
    assert "unsupported" in skipped["image.png"]
    loaded = {name for (name,) in store.query("MATCH (d:Document) RETURN d.name").rows}
    deep = "/".join(f"level{i}" for i in range(30)) + "/deep.txt"
    assert loaded == {"good.txt", "notes.md", "latin1.txt", "page.html", "ايران.txt", deep}
    assert summary.documents_loaded == len(loaded)


def test_strict_stops_at_the_first_bad_file(store, hostile_folder):
    with pytest.raises(DocumentError):
        load(store, [hostile_folder], strict=True)
    assert store.counts()["documents"] == 0


def test_latin1_is_decoded(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Téhéran a formé le Hezbollah.".encode("latin-1"))
    assert read_document(path).text.startswith("Téhéran")


def test_html_is_reduced_to_its_main_text_without_scripts(hostile_folder):
    text = read_document(hostile_folder / "page.html").text
    assert "Iran hosted al-Qaeda leaders" in text
    assert "window.evil" not in text and "injected" not in text and "color:red" not in text


def test_document_id_is_the_hash_of_its_content(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ARTICLE, encoding="utf-8")
    b.write_text(ARTICLE, encoding="utf-8")
    assert read_document(a).id == read_document(b).id
    b.write_text(ARTICLE + "More.", encoding="utf-8")
    assert read_document(a).id != read_document(b).id


@contextlib.contextmanager
def as_nobody():
    """Root reads every file; drop to an unprivileged user to meet a real permission error."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_an_unreadable_file_is_skipped_with_the_reason():
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)
        secret = folder / "secret.txt"
        secret.write_text(ARTICLE, encoding="utf-8")
        secret.chmod(0)
        with as_nobody():
            with pytest.raises(DocumentError, match="ermission denied"):
                read_document(secret)
    finally:
        secret.unlink()
        folder.rmdir()


def test_missing_path_is_reported():
    corpus = scan([Path("/no/such/folder")])
    assert corpus.skipped and "no such file" in corpus.skipped[0].reason


def test_malformed_sources_file_names_line_and_field(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("- file: a.txt\n  reliability: Z\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_sources(path)
    assert (error.value.line, error.value.field) == (1, "reliability")
