"""One exception hierarchy; the CLI turns each into a one-line message and an exit code."""


class GraphctlError(Exception):
    """Base of every error graphctl reports to a user."""

    exit_code = 1


class InputError(GraphctlError):
    """A file the user gave is malformed: names the file, the line and the field."""

    def __init__(self, path, message: str, line: int | None = None, field: str | None = None):
        where = str(path) + (f":{line}" if line is not None else "")
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}: {what}{message}")
        self.path, self.line, self.field = path, line, field


class DocumentError(GraphctlError):
    """One document could not be read; loading goes on with the others."""

    def __init__(self, path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


class UnknownActorError(InputError):
    """Curated claims name an actor the registry lacks."""


class StoreError(GraphctlError):
    """The database failed or refused a request."""


class StoreUnavailable(StoreError):
    """The database can't be reached or opened."""

    exit_code = 3


class StoreWriteError(StoreError):
    """The database failed while writing (a COPY, a commit, a checkpoint): the statement
    was graphctl's own, so the store is at fault, not the user's query."""

    exit_code = 3


class StoreConflict(StoreError):
    """A concurrent writer touched the same rows; the transaction can be retried."""


class StoreBusy(StoreError):
    """Another graphctl process holds the embedded store."""

    exit_code = 4


class UsageError(GraphctlError):
    """The command can't run as given (say, a default that the installed package lacks)."""

    exit_code = 2


class QueryError(GraphctlError):
    """A Cypher statement is wrong, or writes without --write."""

    exit_code = 2
