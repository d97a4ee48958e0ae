"""LadybugDB: an embedded graph engine running Cypher in-process on a local file.

One process owns the file; graphctl adds a lock beside it so a reader waits for a
writer instead of reading a stale snapshot. Large batches go in through COPY FROM a
temporary CSV file; before writing, the disk is checked for room (the engine aborts
the process when its log can't be written).
"""
from __future__ import annotations

import contextlib
import csv
import errno
import fcntl
import os
import re
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Callable, Iterator

from ..errors import QueryError, StoreBusy, StoreError, StoreUnavailable, StoreWriteError
from ..model import EDGE_TYPES
from .base import Backend, Capabilities, QueryResult, cypher_string, first_line, plain, refuse_unless_read


# Physical operators that only read the graph: anything else (COPY_TO, EXPORT_DATABASE,
# LOAD_EXTENSION, INSTALL_EXTENSION, ATTACH_DATABASE, STANDALONE_CALL, TRANSACTION, writes)
# is refused by `graphctl query` without --write. An allow-list: an operator a later engine
# adds is refused until it is known to be harmless.
READ_OPERATORS = frozenset({
    "RESULT_COLLECTOR", "PROJECTION", "FILTER", "FLATTEN", "LIMIT", "SKIP", "UNWIND", "EMPTY_RESULT",
    "SCAN_NODE_TABLE", "SCAN_REL_TABLE", "PRIMARY_KEY_SCAN_NODE_TABLE", "QUERY_PRIMARY_KEY_LOOKUP",
    "NODE_LABEL_FILTER", "INDEX_LOOKUP",
    "HASH_JOIN_BUILD", "HASH_JOIN_PROBE", "INTERSECT_BUILD", "INTERSECT", "CROSS_PRODUCT", "SEMI_MASKER",
    "RECURSIVE_EXTEND", "PATH_PROPERTY_PROBE", "MULTIPLICITY_REDUCER", "EXPRESSIONS_SCAN", "COUNT_REL_TABLE",
    "AGGREGATE", "AGGREGATE_FINALIZE", "AGGREGATE_SCAN", "ORDER_BY", "ORDER_BY_MERGE", "ORDER_BY_SCAN",
    "TOP_K", "TOP_K_SCAN", "UNION_ALL_SCAN", "TABLE_FUNCTION_CALL", "DUMMY_SINK", "OFFSET_SCAN_NODE_TABLE",
})
# Table functions that read the store or its catalogue; LOAD FROM a file plans as READ_CSV*,
# READ_PARQUET, READ_JSON... and is refused.
READ_TABLE_FUNCTIONS = frozenset({
    "READ_FTABLE", "SHOW_TABLES", "TABLE_INFO", "SHOW_CONNECTION", "CURRENT_SETTING", "DB_VERSION",
    "SHOW_FUNCTIONS", "SHOW_INDEXES", "SHOW_MACROS", "SHOW_SEQUENCES", "SHOW_WARNINGS",
})
_PLAN_OPERATOR = re.compile(r"│\s*([A-Z_]+)\[\d+\]\s*│")
_PLAN_FUNCTION = re.compile(r"Function:\s*(\w+)")


def _ddl_name(name: str) -> str:
    return f"`{name}`"


DEFAULT_BUFFER_POOL_MB = 1024
DEFAULT_MIN_FREE_MB = 64


def min_free_bytes() -> int:
    """Free space a write to the embedded store keeps in hand: GRAPHCTL_MIN_FREE_MB, else 64 MiB."""
    value = os.environ.get("GRAPHCTL_MIN_FREE_MB", "")
    try:
        return int(value or DEFAULT_MIN_FREE_MB) * 2**20
    except ValueError:
        raise StoreUnavailable(f"GRAPHCTL_MIN_FREE_MB must be a number of MiB, not {value!r}") from None


def buffer_pool_mb() -> int:
    """The embedded store's page cache: GRAPHCTL_BUFFER_POOL_MB, else 1 GiB."""
    value = os.environ.get("GRAPHCTL_BUFFER_POOL_MB", "")
    try:
        mb = max(64, int(value)) if value else DEFAULT_BUFFER_POOL_MB
    except ValueError:
        raise StoreUnavailable(f"GRAPHCTL_BUFFER_POOL_MB must be a number of MiB, not {value!r}") from None
    memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    if value and mb > memory_mb:  # the engine would abort allocating it
        raise StoreUnavailable(f"GRAPHCTL_BUFFER_POOL_MB={value} is more than this machine's {memory_mb} MiB of memory")
    return mb


class EmbeddedBackend(Backend):
    """LadybugDB on a local file."""

    kind = "embedded"
    # each commit costs ~0.5 s after a COPY: fewer, larger transactions
    capabilities = Capabilities(copy=True, max_batch_claims=100_000)

    def __init__(self, path: Path, read_only: bool = False, wait: float = 0,
                 on_wait: Callable[[str], None] | None = None, repair: bool = False):
        import ladybug

        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = read_only
        pool_mb = buffer_pool_mb()
        if read_only and not self.path.exists():
            raise StoreUnavailable(f"no graph at {self.path} yet: run `graphctl load seeds/` first")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_file = self._acquire_lock(wait, on_wait)
        except OSError as exc:  # its folder is a file, or read-only, or not ours
            raise StoreUnavailable(f"cannot open the embedded store {self.path}: {exc.strerror or exc}") from None
        try:
            if not read_only:  # opening replays and checkpoints the log: that writes too
                self.reserve(0)
            # A bounded buffer pool keeps memory bounded as the graph grows (LadybugDB's default
            # is most of the RAM). Automatic checkpoints stay on: a commit that copied rows must
            # checkpoint, or a crash leaves a log that LadybugDB 0.22 cannot replay. `repair`
            # replays the log up to its last whole transaction instead of refusing it.
            self._db = ladybug.Database(str(self.path), read_only=read_only,
                                        buffer_pool_size=pool_mb * 1024 * 1024,
                                        throw_on_wal_replay_failure=not repair)
            self._conn = ladybug.Connection(self._db)
        except (RuntimeError, MemoryError, OSError, StoreUnavailable) as exc:
            self._release_lock()
            if isinstance(exc, StoreUnavailable):
                raise
            raise _open_error(self.path, exc) from None
        if not read_only:
            self._create_schema()

    def reserve(self, extra_bytes: int):
        """Refuse a write the disk can't hold, before it starts: LadybugDB aborts the whole
        process when its log can't be written, and leaves a log that must be repaired."""
        log = Path(f"{self.path}.wal")
        needed = min_free_bytes() + extra_bytes + (log.stat().st_size if log.exists() else 0)
        free = shutil.disk_usage(self.path.parent).free
        if free < needed:
            raise StoreUnavailable(
                f"only {free / 2**20:.1f} MiB free under {self.path.parent}, and this needs about "
                f"{needed / 2**20:.1f} MiB: free some space and run it again (the store is as it was; "
                f"GRAPHCTL_MIN_FREE_MB sets the margin)")

    def _acquire_lock(self, wait: float, on_wait):
        """Writers hold the lock alone; readers share it, so none reads mid-load."""
        handle = self._open_lock_file()
        if handle is None:
            return None
        mode = fcntl.LOCK_SH if self.read_only else fcntl.LOCK_EX
        deadline, told = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    raise StoreBusy(f"store busy: another graphctl process is writing to {self.path}; "
                                    "try again when it finishes, or pass --wait SECONDS") from None
                if on_wait and not told:
                    on_wait(f"store busy: waiting up to {wait:.0f} s for another graphctl process to finish")
                    told = True
                time.sleep(0.2)

    def _open_lock_file(self):
        """The lock beside the store; None for a reader on a read-only file system, where
        no writer can be at work (a writer is told why it can't write)."""
        lock = f"{self.path}.lock"
        try:
            return open(lock, "a+")
        except OSError as exc:
            if not self.read_only or exc.errno not in (errno.EROFS, errno.EACCES):
                raise
        return open(lock) if os.path.exists(lock) else None

    def _release_lock(self):
        if self._lock_file:
            self._lock_file.close()
            self._lock_file = None

    def _add_new_properties(self, label: str, properties: dict):
        """A store made by an older graphctl gets the properties added since (at the end of the
        table, where schema.yaml lists new ones, so COPY's column order still holds)."""
        existing = {row[1] for row in self._execute(f"CALL table_info('{label}') RETURN *").rows}
        for name, kind in properties.items():
            if name not in existing:
                self._execute(f"ALTER TABLE {label} ADD IF NOT EXISTS {_ddl_name(name)} {kind}")

    def _create_schema(self):
        # the schema as the package holds it when the store opens, so that a test can open a
        # store as an older graphctl made it (tests/test_review.py)
        from . import SCHEMA

        for label, spec in SCHEMA["nodes"].items():
            columns = [f"{_ddl_name(name)} {kind}" for name, kind in spec["properties"].items()]
            self._execute(f"CREATE NODE TABLE IF NOT EXISTS {label}({', '.join(columns)}, "
                          f"PRIMARY KEY({_ddl_name(spec['key'])}))")
            self._add_new_properties(label, spec["properties"])
        rels = {name: (spec["from"], spec["to"], {}) for name, spec in SCHEMA["relationships"].items()}
        edge = SCHEMA["claim_edge"]
        rels.update({name: (edge["from"], edge["to"], edge["properties"]) for name in EDGE_TYPES.values()})
        for name, (source, target, properties) in rels.items():
            columns = "".join(f", {_ddl_name(p)} {kind}" for p, kind in properties.items())
            self._execute(f"CREATE REL TABLE IF NOT EXISTS {name}(FROM {source} TO {target}{columns})")

    def _execute(self, query: str, params: dict | None = None, read_only: bool = False) -> QueryResult:
        # read_only needs nothing more here: `run` has checked the plan, and a store opened
        # read-only refuses writes itself
        try:
            result = self._conn.execute(query, params or {})
        except RuntimeError as exc:
            raise _query_error(exc) from None
        if isinstance(result, list):  # several statements: keep the last result
            result = result[-1]
        columns = result.get_column_names()
        rows = [plain(row) for row in result.get_all()]
        return QueryResult(columns, rows)

    def check_read_only(self, query: str, params: dict | None = None):
        """Refuse a statement whose physical plan does more than read the store.

        A read-only database refuses writes to the store, but still runs COPY TO, LOAD FROM
        a file, EXPORT DATABASE and LOAD EXTENSION: so the engine plans the statement
        (EXPLAIN runs nothing) and every operator, and every table function, must be one
        that only reads the graph. Preparing it first refuses several statements at once,
        which EXPLAIN alone would not stop."""
        operators, functions = self._plan(query, params)
        refuse_unless_read((set(operators) - READ_OPERATORS) | (set(functions) - READ_TABLE_FUNCTIONS))

    def _plan(self, query: str, params: dict | None) -> tuple[list[str], list[str]]:
        """The operator types and table functions of the statement's physical plan."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # prepare() is the only one-statement check
            try:
                statement = self._conn.prepare("EXPLAIN " + query, params or {})
                if not statement.is_success():
                    raise RuntimeError(statement.get_error_message())
                plan = self._conn.execute(statement, params or {}).get_all()[0][0]
            except RuntimeError as exc:
                raise _query_error(exc) from None
        return _PLAN_OPERATOR.findall(plan), [f.upper() for f in _PLAN_FUNCTION.findall(plan)]

    def copy(self, table: str, rows: list[list]):
        """Bulk insert rows (every column of the table, in schema order; a relationship's
        rows start with the two end keys) through COPY FROM a temporary CSV file."""
        if not rows:
            return
        fd, path = tempfile.mkstemp(suffix=".csv", prefix="graphctl-copy-")
        try:
            with os.fdopen(fd, "w", newline="", encoding="utf-8") as stream:
                csv.writer(stream).writerows(rows)  # None is written empty, which COPY reads as NULL
            # COPY takes no parameter for its file: the path (under TMPDIR, which may hold any
            # character) goes in as a quoted literal
            with _write_failure(f"COPY into {table}"):
                self._execute(f"COPY {table} FROM {cypher_string(path)} (header=false, parallel=false)")
        finally:
            os.unlink(path)

    @contextlib.contextmanager
    def transaction(self) -> Iterator["EmbeddedBackend"]:
        self._execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self._rollback()
            raise
        try:
            with _write_failure("the commit"):
                self._execute("COMMIT")
        except StoreError:
            self._rollback()
            raise

    def _rollback(self):
        try:
            self._execute("ROLLBACK")
        except QueryError:
            pass  # the engine already ended it; the error that did so is the one to report

    def close(self):
        if getattr(self, "_conn", None) is not None:
            self._conn.close()
            self._db.close()
            self._conn = None
        self._release_lock()


@contextlib.contextmanager
def _write_failure(what: str):
    """An engine error while data is being written is the store failing (exit 3), not the
    statement being wrong: graphctl wrote the statement, the user did not."""
    try:
        yield
    except QueryError as error:
        raise StoreWriteError(f"the embedded store failed during {what}: {error}") from None


def _open_error(path: Path, exc: Exception) -> StoreError:
    message = first_line(exc)
    if "lock" in message.lower():
        return StoreBusy(f"the embedded store {path} is in use by another process")
    if "WAL" in message or f"{path}.wal" in message or "recovery" in message:  # the log can't be replayed
        return StoreUnavailable(f"the embedded store {path} cannot be opened ({message}): its log ends in a "
                                "half-written transaction; run `graphctl repair` (with free space on its disk)")
    return StoreUnavailable(f"cannot open the embedded store {path}: {message}")


def _query_error(exc: RuntimeError) -> StoreError:
    """The embedded engine's error as graphctl's, in the words a user can act on."""
    message = first_line(exc)
    if "IO exception" in message or "No space left" in message:
        return StoreUnavailable(f"the embedded store could not write to its disk: {message}")
    if "read-only" in message:
        return QueryError("this statement writes to the graph; pass --write to allow it")
    if "multiple statements" in message:
        return QueryError("one statement at a time, unless --write is given")
    return QueryError(message)


def repair_embedded(path: Path) -> dict:
    """Bring an embedded store whose log is damaged (a disk that filled mid-write, a crash
    mid-commit) back to its last whole transaction: what the log held, and what is left."""
    path = Path(path)
    if not path.exists():
        raise StoreUnavailable(f"no graph at {path}")
    log = Path(f"{path}.wal")
    log_bytes = log.stat().st_size if log.exists() else 0
    try:
        EmbeddedBackend(path).close()
        return {"store": str(path), "repaired": False, "log_bytes": log_bytes}
    except StoreBusy:
        raise
    except StoreUnavailable as error:
        if "graphctl repair" not in str(error):
            raise
    backend = EmbeddedBackend(path, repair=True)
    try:
        with _write_failure("the checkpoint"):
            backend.run("CHECKPOINT")  # the replayed part into the store, the rest of the log gone
    finally:
        backend.close()
    return {"store": str(path), "repaired": True, "log_bytes": log_bytes}
