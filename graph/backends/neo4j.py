"""Neo4j: a server over Bolt.

The server can't read this machine's files, so rows go through UNWIND; a statement
run with write=False runs in a READ session after its plan is checked.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
from typing import Iterator

from ..errors import QueryError, StoreConflict, StoreError, StoreUnavailable, StoreWriteError
from ..model import EDGE_TYPES
from .base import SCHEMA, Backend, Capabilities, QueryResult, first_line, plain, refuse_unless_read

# The driver logs retries and dropped connections itself; graphctl reports errors its own way.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

class Neo4jBackend(Backend):
    """A Neo4j server over Bolt."""

    kind = "neo4j"
    # no COPY: the server can't read this machine's files; 10,000 claims keep a transaction
    # well inside Neo4j's default transaction memory
    capabilities = Capabilities(copy=False, max_batch_claims=10_000)

    def __init__(self, uri: str, user: str | None = None, password: str | None = None,
                 database: str | None = None, create_schema: bool = True):
        import neo4j

        self.location = uri + (f" (database {database})" if database else "")
        self._database = database
        self._neo4j = neo4j
        auth = (user or "neo4j", password) if password else None
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=10,
                                                      notifications_min_severity="OFF")
            self._driver.verify_connectivity()
        except neo4j.exceptions.AuthError:
            raise StoreUnavailable(f"Neo4j at {uri} refused the credentials: check NEO4J_USER and NEO4J_PASSWORD") from None
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.DriverError, ValueError, OSError) as exc:
            raise StoreUnavailable(f"cannot reach Neo4j at {uri} ({first_line(exc)}): start it "
                                   "(docker compose up -d) or check NEO4J_URI") from None
        self._tx = None
        if create_schema:
            self._create_schema()

    def reserve(self, extra_bytes: int):
        """The server keeps watch over its own disk."""

    def _create_schema(self):
        statements = []
        for label, spec in SCHEMA["nodes"].items():
            key = spec["key"]
            statements.append(f"CREATE CONSTRAINT {label.lower()}_{key} IF NOT EXISTS "
                              f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE")
            for prop in spec.get("indexes", []):
                statements.append(f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
        for name in EDGE_TYPES.values():
            statements.append(f"CREATE INDEX {name.lower()}_claim_id IF NOT EXISTS FOR ()-[r:{name}]-() ON (r.claim_id)")
        for statement in statements:
            try:
                self._execute(statement)
            except (QueryError, StoreConflict) as error:
                # another graphctl process created the same index a moment ago
                if "already exists" not in str(error) and "quivalent" not in str(error):
                    raise

    def _execute(self, query: str, params: dict | None = None, read_only: bool = False) -> QueryResult:
        exceptions = self._neo4j.exceptions
        try:
            if self._tx is not None:
                result = self._tx.run(query, params or {})
                records = list(result)
                columns = list(result.keys())
            else:
                # READ routing: the server itself refuses a write in a read-only statement
                routing = self._neo4j.RoutingControl.READ if read_only else self._neo4j.RoutingControl.WRITE
                records, summary, columns = self._driver.execute_query(
                    query, params or {}, database_=self._database, routing_=routing)
        except (exceptions.ServiceUnavailable, exceptions.SessionExpired) as exc:
            raise StoreUnavailable(f"lost the connection to Neo4j at {self.location}: {first_line(exc)}") from None
        except (exceptions.TransientError, exceptions.ConstraintError) as exc:
            if "Memory" in (exc.code or ""):
                raise StoreWriteError("the transaction is larger than Neo4j's transaction memory "
                                 "(dbms.memory.transaction.total.max): load with a smaller --batch-size") from None
            raise StoreConflict(f"a concurrent write conflicted: {first_line(exc.message or exc)}") from None
        except exceptions.Neo4jError as exc:
            raise QueryError(first_line(exc.message or exc)) from None
        except exceptions.DriverError as exc:
            raise StoreError(f"Neo4j driver error: {first_line(exc)}") from None
        return QueryResult(list(columns), [[plain(value) for value in record.values()] for record in records])

    def check_read_only(self, query: str, params: dict | None = None):
        """Refuse what does more than read the graph, as the planner sees it.

        The server refuses writes in a READ session (and _execute runs read-only statements
        in one), but LOAD CSV reads any file or URL, and a plugin's READ procedure may write
        files: so the plan must be a read ('r'), without LoadCSV, and call only the
        database's own catalogue procedures (db.*)."""
        try:
            with self._driver.session(database=self._database, default_access_mode=self._neo4j.READ_ACCESS) as session:
                summary = session.run("EXPLAIN " + query, params or {}).consume()
        except self._neo4j.exceptions.Neo4jError as exc:
            raise QueryError(first_line(exc.message or exc)) from None
        except (self._neo4j.exceptions.ServiceUnavailable, self._neo4j.exceptions.SessionExpired) as exc:
            raise StoreUnavailable(f"lost the connection to Neo4j at {self.location}: {first_line(exc)}") from None
        if summary.query_type != "r":
            raise QueryError("this statement writes to the graph; pass --write to allow it")
        refuse_unless_read(_outside_reads(summary.plan))

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Neo4jBackend"]:
        exceptions = self._neo4j.exceptions
        try:
            session = self._driver.session(database=self._database)
            self._tx = session.begin_transaction()
        except (exceptions.ServiceUnavailable, exceptions.SessionExpired) as exc:
            raise StoreUnavailable(f"lost the connection to Neo4j at {self.location}: {first_line(exc)}") from None
        try:
            yield self
            self._commit()
        except (exceptions.ServiceUnavailable, exceptions.SessionExpired) as exc:
            raise StoreUnavailable(f"lost the connection to Neo4j at {self.location}: {first_line(exc)}") from None
        finally:
            tx, self._tx = self._tx, None
            if tx.closed() is False:
                with contextlib.suppress(Exception):
                    tx.rollback()
            with contextlib.suppress(Exception):
                session.close()

    def _commit(self):
        """A commit the server refuses is the store failing (exit 3); a conflicting concurrent
        write, one to retry."""
        exceptions = self._neo4j.exceptions
        try:
            self._tx.commit()
        except (exceptions.ServiceUnavailable, exceptions.SessionExpired):
            raise
        except (exceptions.TransientError, exceptions.ConstraintError) as exc:
            raise StoreConflict(f"a concurrent write conflicted: {first_line(exc.message or exc)}") from None
        except (exceptions.Neo4jError, exceptions.DriverError) as exc:
            raise StoreWriteError(f"Neo4j at {self.location} failed during the commit: {first_line(exc)}") from None

    def close(self):
        self._driver.close()


_PROCEDURE_NAME = re.compile(r"^\s*([\w.]+)\s*\(")


def _outside_reads(plan: dict) -> Iterator[str]:
    """What in a Neo4j plan reaches beyond the graph: LOAD CSV, and procedures other than
    the database's own (db.*; plugins' procedures may read or write files)."""
    operator = plan.get("operatorType", "").split("@")[0]
    if operator == "LoadCSV":
        yield "LOAD CSV"
    if operator == "ProcedureCall":
        name = _PROCEDURE_NAME.match(str(plan.get("args", {}).get("Details", "")))
        if not name or not name.group(1).startswith("db."):
            yield f"procedure {name.group(1) if name else '?'}"
    for child in plan.get("children", []):
        yield from _outside_reads(child)


def neo4j_settings(uri: str | None = None) -> dict | None:
    """Connection settings from the arguments and NEO4J_* variables; None when no server is configured."""
    uri = uri or os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return {
        "uri": uri,
        "user": os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME") or "neo4j",
        "password": os.environ.get("NEO4J_PASSWORD"),
        "database": os.environ.get("NEO4J_DATABASE") or None,
    }
