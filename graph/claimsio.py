"""Claims files in the claims guide's JSONL format: read with validation, written one per line."""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterable, Iterator

from .actors import SLUG
from .documents import is_regular
from .errors import InputError, UnknownActorError
from .model import AUTHOR, DOCUMENT_SPEAKERS, CERTAINTIES, GUIDE_KEYS, POLARITIES, PREDICATES, Claim

_REQUIRED = ("doc", "subject", "predicate", "object", "polarity")
_OPTIONAL_STRINGS = ("when", "note", "rule", "extractor", "doc_id")


def read_claims(path: Path, known_actors=None, origin: str | None = None) -> list[Claim]:
    """Every claim of a JSONL file, or an InputError naming the line and field.

    With `known_actors` (a collection of ids), an id outside it is an
    UnknownActorError. Claims are marked with `origin` (default "curated:<file>").
    """
    return list(iter_claims(path, known_actors, origin))


def iter_claims(path: Path, known_actors=None, origin: str | None = None) -> Iterator[Claim]:
    """read_claims, one claim at a time: for files too large to hold."""
    path = Path(path)
    origin = origin or f"curated:{path.name}"
    if not is_regular(path):  # a FIFO would block the read, a device never end it
        raise InputError(path, "not a regular file")
    try:
        with open(path, encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    yield _parse_line(path, number, line, known_actors, origin)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from None


def _parse_line(path, number, line, known_actors, origin) -> Claim:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg})", number) from None
    except RecursionError:
        raise InputError(path, "not a claim: JSON nested too deep", number) from None
    if not isinstance(record, dict):
        raise InputError(path, "expected a JSON object", number)
    for key, value in record.items():
        if not _utf8(value):  # a lone surrogate (\ud800) can't be stored or printed
            raise InputError(path, "holds a lone surrogate, not text", number, key)

    def fail(field, message, error=InputError):
        raise error(path, message, number, field)

    for key in _REQUIRED:
        if not isinstance(record.get(key), str) or not record[key].strip():
            fail(key, "missing or not a string")
    if record["predicate"] not in PREDICATES:
        fail("predicate", f"'{record['predicate']}' is not one of {', '.join(PREDICATES)}")
    if record["polarity"] not in POLARITIES:
        fail("polarity", f"'{record['polarity']}' is not affirms or denies")
    certainty = record.get("certainty") or "asserted"
    if certainty not in CERTAINTIES:
        fail("certainty", f"'{certainty}' is not one of {', '.join(CERTAINTIES)}")
    said_by = record.get("said_by") or AUTHOR
    if not isinstance(said_by, str):
        fail("said_by", "must be 'author', 'unnamed' or an actor id")
    evidence = record.get("evidence") or []
    if isinstance(evidence, str):
        evidence = [evidence]
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        fail("evidence", "must be a string or a list of strings")
    for key in _OPTIONAL_STRINGS:
        if record.get(key) is not None and not isinstance(record[key], str):
            fail(key, "must be a string or null")
    for key in ("subject", "object", "said_by"):
        value = record.get(key) or AUTHOR
        if not SLUG.match(value):  # ids join into link keys with '|': only the registry's id form enters
            fail(key, f"'{value}' is not an actor id (lower-case letters, digits and hyphens)")
    if known_actors is not None:
        for key in ("subject", "object", "said_by"):
            value = record.get(key) or AUTHOR
            if value not in DOCUMENT_SPEAKERS and value not in known_actors:
                fail(key, f"actor '{value}' is not in the registry (add it, or pass --allow-new-actors)",
                     UnknownActorError)
    # Claims written by `graphctl extract` keep their origin, so extract-then-load equals a load.
    if record.get("origin") == "extracted":
        origin = "extracted"
    confidence = record.get("confidence", 1.0)
    if not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        fail("confidence", "must be a number from 0 to 1")
    return Claim(
        doc=record["doc"], subject=record["subject"], predicate=record["predicate"],
        object=record["object"], polarity=record["polarity"], said_by=said_by,
        certainty=certainty, when=record.get("when"), evidence=list(evidence),
        doc_id=record.get("doc_id"), start=_int_or_none(record.get("start")),
        end=_int_or_none(record.get("end")), extractor=record.get("extractor") or "curated",
        rule=record.get("rule"), confidence=float(confidence), origin=origin, note=record.get("note"),
    )


def _utf8(value) -> bool:
    """Whether every string in the value is text UTF-8 can hold."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list):
        return all(map(_utf8, value))
    if isinstance(value, dict):
        return all(map(_utf8, [*value, *value.values()]))
    return True


def _int_or_none(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def write_claims(claims: Iterable[Claim], stream: IO[str], extras: bool = True) -> int:
    """One JSON object per line, the guide's keys first; returns how many were written."""
    count = 0
    for claim in claims:
        stream.write(json.dumps(claim.to_guide_dict(extras=extras), ensure_ascii=False) + "\n")
        count += 1
    return count


__all__ = ["read_claims", "write_claims", "GUIDE_KEYS"]
