"""Reading documents: folders walked safely, text decoded, HTML reduced to its main text.

Documents are streamed one at a time, so memory stays flat however large the
corpus. A file that can't be read is reported (DocumentError) and skipped.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import charset_normalizer

from .actors import load_yaml_records
from .errors import DocumentError, InputError
from .model import Document, Source

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
CLAIMS_SUFFIX = ".claims.jsonl"
# Files a corpus folder may carry beside its documents; not documents themselves.
METADATA_NAMES = {"actors.yaml", "sources.yaml", "review.jsonl"}  # review.jsonl: graph/review.py
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_SOURCE_FIELDS = ("title", "outlet", "url", "date", "reliability")


@dataclass
class Corpus:
    """What a walk over the given paths found."""

    documents: list[tuple[Path, Path]]  # (folder given, file)
    claim_files: list[Path]
    skipped: list[DocumentError]


def display_path(path) -> str:
    """A printable form of any path, even one whose name isn't valid UTF-8."""
    return os.fsencode(str(path)).decode("utf-8", "replace")


def document_name(path: Path, root: Path) -> str:
    """The name claims use for a document: its path below the folder loaded."""
    try:
        relative = path.relative_to(root) if root.is_dir() else Path(path.name)
    except ValueError:
        relative = Path(path.name)
    return display_path(relative.as_posix())


def discover(paths: list[Path]) -> Iterator[tuple[Path, Path | DocumentError]]:
    """(root, file) for every file under the paths, or (root, error) for what can't be walked.

    Symlinks are followed, but a folder already seen (a loop) is not entered twice.
    """
    for root in paths:
        root = Path(root)
        if not root.exists():
            yield root, DocumentError(display_path(root), "no such file or folder")
        elif root.is_file():
            yield root, root
        else:
            yield from _walk(root)


def _walk(root: Path) -> Iterator[tuple[Path, Path | DocumentError]]:
    seen: set[str] = set()
    errors: list[OSError] = []
    for folder, subfolders, files in os.walk(root, followlinks=True, onerror=errors.append):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders[:] = []
            yield root, DocumentError(display_path(folder), "symlink loop, folder already visited")
            continue
        seen.add(real)
        subfolders.sort()
        for name in sorted(files):
            yield root, Path(folder) / name
        while errors:
            error = errors.pop()
            yield root, DocumentError(display_path(error.filename or folder), error.strerror or str(error))


def scan(paths: list[Path]) -> Corpus:
    """Sort what the paths hold into documents, curated claim files and skipped files."""
    corpus = Corpus([], [], [])
    for root, item in discover(paths):
        if isinstance(item, DocumentError):
            corpus.skipped.append(item)
            continue
        name = item.name.lower()
        if name.endswith(CLAIMS_SUFFIX):
            corpus.claim_files.append(item)
        elif name in METADATA_NAMES:
            continue
        elif item.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES:
            corpus.documents.append((root, item))
        elif item.is_symlink() and not item.exists():
            corpus.skipped.append(DocumentError(display_path(item), "broken symlink"))
        else:
            corpus.skipped.append(DocumentError(display_path(item), f"unsupported file type '{item.suffix or '(none)'}'"))
    return corpus


def read_document(path: Path, root: Path | None = None, sources: dict[str, Source] | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """One file as a Document; DocumentError says why it can't be."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(shown, f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit (--max-size)")
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(shown, exc.strerror or str(exc)) from None
    text = _decode(raw, shown)
    if path.suffix.lower() in HTML_SUFFIXES:
        text = html_to_text(text, shown)
    if not text.strip():
        raise DocumentError(shown, "empty document")
    name = document_name(path, root or path.parent)
    source = (sources or {}).get(name) or (sources or {}).get(path.name) or Source()
    return Document(name=name, text=text, path=shown, source=source)


def _decode(raw: bytes, shown: str) -> str:
    if not raw.strip():
        raise DocumentError(shown, "empty document")
    if b"\x00" in raw[:8192]:
        raise DocumentError(shown, "binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw[:1_000_000]).best()
    if best is None or best.chaos > 0.2:
        raise DocumentError(shown, "not UTF-8 and no other text encoding fits")
    return raw.decode(best.encoding, errors="replace")


def html_to_text(html: str, shown: str = "") -> str:
    """The article's main text, through trafilatura (scripts, styles and menus dropped)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    if not text:
        raise DocumentError(shown, "no main text found in the HTML")
    return text


def load_sources(path: Path) -> dict[str, Source]:
    """sources.yaml: a list of {file, title, outlet, url, date, reliability}."""
    sources = {}
    for record in load_yaml_records(path):
        line = record.pop("__line__")
        file_name = record.get("file")
        if not isinstance(file_name, str) or not file_name:
            raise InputError(path, "missing or not a string", line, "file")
        unknown = set(record) - {"file", *_SOURCE_FIELDS}
        if unknown:
            raise InputError(path, f"unknown key(s) {', '.join(sorted(unknown))}", line, sorted(unknown)[0])
        grade = record.get("reliability")
        if grade is not None and str(grade) not in tuple("ABCDEF"):
            raise InputError(path, f"'{grade}' is not an Admiralty grade A-F", line, "reliability")
        sources[file_name] = Source(**{key: (str(record[key]) if record.get(key) is not None else None)
                                       for key in _SOURCE_FIELDS})
    return sources
