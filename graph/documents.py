"""Reading documents: folders walked safely, text decoded, HTML reduced to its main text.

Documents are streamed one at a time, so memory stays flat however large the
corpus. A file that can't be read is reported (DocumentError) and skipped.
"""
from __future__ import annotations

import codecs
import datetime
import os
import re
import stat
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
_SOURCE_FIELDS = ("title", "outlet", "url", "date", "reliability", "story")


@dataclass
class Corpus:
    """What a walk over the given paths found."""

    documents: list[tuple[Path, Path]]  # (folder given, file)
    claim_files: list[Path]
    skipped: list[DocumentError]


def display_path(path) -> str:
    """A printable form of any path, even one whose name isn't valid UTF-8: each byte that
    isn't is shown as \\xNN, so two different names never print (or name a document) alike."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


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
    """Sort what the paths hold into documents, curated claim files and skipped files.

    Each document name belongs to one file: a second file that would get the same name
    (x.txt under two folders given) is skipped and named, never merged with the first."""
    corpus = Corpus([], [], [])
    owners: dict[str, Path] = {}  # document name -> the file that has it
    for root, item in discover(paths):
        if isinstance(item, DocumentError):
            corpus.skipped.append(item)
            continue
        name = item.name.lower()
        if name in METADATA_NAMES:
            continue
        if not (name.endswith(CLAIMS_SUFFIX) or item.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES):
            reason = "broken symlink" if item.is_symlink() and not item.exists() \
                else f"unsupported file type '{item.suffix or '(none)'}'"
            corpus.skipped.append(DocumentError(display_path(item), reason))
        elif not is_regular(item):
            corpus.skipped.append(DocumentError(display_path(item), "not a regular file (a FIFO, device or folder)"))
        elif name.endswith(CLAIMS_SUFFIX):
            corpus.claim_files.append(item)
        else:
            _add_document(corpus, owners, root, item)
    return corpus


def is_regular(path: Path) -> bool:
    """A regular file, through symlinks: FIFOs would block a read, devices never end."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _add_document(corpus: Corpus, owners: dict[str, Path], root: Path, path: Path):
    name = document_name(path, root)
    first = owners.setdefault(name, path)
    if first == path or os.path.realpath(first) == os.path.realpath(path):
        if first is path:
            corpus.documents.append((root, path))
        return  # the same file given twice is one document
    corpus.skipped.append(DocumentError(display_path(path), f"same document name '{name}' as {display_path(first)}: "
                                        "load the folders one at a time, or rename one"))


def read_document(path: Path, root: Path | None = None, sources: dict[str, Source] | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """One file as a Document; DocumentError says why it can't be."""
    shown = display_path(path)
    raw = read_bounded(path, max_bytes, shown)
    text = _decode(raw, shown)
    if path.suffix.lower() in HTML_SUFFIXES:
        text = html_to_text(text, shown)
    text = bound_sentences(normalize_text(text))
    if not text.strip():
        raise DocumentError(shown, "empty document")
    name = document_name(path, root or path.parent)
    source = (sources or {}).get(name) or (sources or {}).get(path.name) or Source()
    return Document(name=name, text=text, path=shown, source=source)


def read_bounded(path: Path, max_bytes: int, shown: str) -> bytes:
    """The file's bytes, if it is a regular file of at most `max_bytes`: the limit holds as
    the bytes are read, whatever size the file reports (/proc files and devices say 0)."""
    try:
        # O_NONBLOCK: a FIFO put in the file's place since the scan can't hang the load
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise DocumentError(shown, "not a regular file (a FIFO, device or folder)")
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise DocumentError(shown, exc.strerror or str(exc)) from None
    if len(raw) > max_bytes:
        raise DocumentError(shown, f"over the {max_bytes / 1e6:g} MB limit (--max-size)")
    return raw


# Characters that change no word's meaning but split it for matching: zero-width spaces
# and joiners, the soft hyphen, the word joiner, BOMs inside the text, bidi controls.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def normalize_text(text: str) -> str:
    """The text without invisible format characters, so 'Hez\u00adbollah' is Hezbollah
    (and a file of nothing else is empty)."""
    return _INVISIBLE.sub("", text)


# The longest stretch of text extraction reads as one sentence: parsing and the rules grow
# faster than linearly with a sentence's length, so a line with no sentence end is cut.
MAX_SENTENCE_CHARS = 1000
_RUN_END = re.compile(r"\n|[.!?\u2026][\"'\u201d\u2019)\]]*\s")


def bound_sentences(text: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    """`text` with a newline put in every stretch longer than `limit` that has no sentence
    end: at a space where there is one, else after `limit` characters. The newline takes a
    character's place, so offsets stay those of the text; ordinary prose is unchanged."""
    cuts, start = [], 0
    for end in _RUN_END.finditer(text):
        _cut_run(text, start, end.start(), limit, cuts)
        start = end.end()
    _cut_run(text, start, len(text), limit, cuts)
    if not cuts:
        return text
    pieces, last = [], 0
    for cut in cuts:
        pieces += [text[last:cut], "\n"]
        last = cut + 1
    pieces.append(text[last:])
    return "".join(pieces)


def _cut_run(text: str, start: int, end: int, limit: int, cuts: list[int]):
    while end - start > limit:
        space = text.rfind(" ", start + limit // 2, start + limit)
        cut = space if space >= 0 else start + limit  # no space: a run of garbage loses a character
        cuts.append(cut)
        start = cut + 1


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _decode(raw: bytes, shown: str) -> str:
    if not raw.strip():
        raise DocumentError(shown, "empty document")
    for bom, encoding in _BOMS:  # UTF-16 and UTF-32 are text, though full of zero bytes
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                break  # only looked like a BOM: judged as other bytes are
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
    """sources.yaml: a list of {file, title, outlet, url, date, reliability, story}."""
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
        sources[file_name] = Source(**{key: _source_text(path, line, key, record.get(key)) for key in _SOURCE_FIELDS})
    return sources


def _source_text(path, line: int, key: str, value) -> str | None:
    """A sources.yaml value as text: a date as YYYY-MM-DD, never a list's or a mapping's repr."""
    if value is None:
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict, bytes)):
        raise InputError(path, f"must be text, not a {type(value).__name__}", line, key)
    return str(value)
