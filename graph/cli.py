"""graphctl: the command line, a thin layer over the graph library.

Each command parses its options, calls one library function and renders the
result; errors become one line on stderr and an exit code (1 failure, 2 usage
or query error, 3 store unreachable or failing a write, 4 store busy), in one
place: the command group, Graphctl.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import shlex
import sys
from pathlib import Path

import click
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from . import analysis, pipeline, queries, review as reviewing, sources
from .documents import DEFAULT_MAX_BYTES
from .errors import GraphctlError
from .model import ACTOR_KINDS, PREDICATES
from .safetext import printable
from .store import DEFAULT_DB, open_store

def _consoles():
    """stderr and stdout, made when a command starts, so they see its terminal's width (or COLUMNS)."""
    global console, out
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False, soft_wrap=True)


_consoles()


class Settings:
    def __init__(self, db, uri, wait):
        self.db, self.uri, self.wait = db, uri, wait

    def open(self, read_only: bool = False):
        return open_store(self.db, self.uri, read_only=read_only, wait=self.wait,
                          on_wait=lambda message: console.print(f"[yellow]{message}[/]"))


class Graphctl(click.Group):
    """The command group. Every command's errors end here: one line on stderr and an exit code
    (README: 1 failure, 2 usage or query error, 3 store unreachable or failing a write, 4 store busy,
    130 interrupted), never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GraphctlError as error:
            _fail(error, error.exit_code)
        except BrokenPipeError:  # the reader left (graphctl ... | head): stop quietly, as git does
            _silence_stdout()
            sys.exit(1)
        except OSError as error:  # a file or folder the system refused: which, and why
            _fail(f"{error.filename}: {error.strerror}" if error.filename and error.strerror else error, 1)
        except KeyboardInterrupt:
            console.print("interrupted")
            sys.exit(130)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # click's own: usage errors print as click prints them (exit 2)
        except UnicodeError as error:  # text read without a check of its own (the error names no file)
            _fail(f"a file is not UTF-8 text ({error})", 1)
        except Exception as error:  # a bug: still one line, and how to see where
            if os.environ.get("GRAPHCTL_DEBUG"):
                raise
            _fail(f"internal error: {type(error).__name__}: {error} (GRAPHCTL_DEBUG=1 shows where)", 1)


def _fail(message, exit_code: int):
    console.print(f"[red]error:[/] {_line(message)}", markup=True, highlight=False)
    sys.exit(exit_code)


def _silence_stdout():
    """Point stdout at /dev/null, so that Python's last flush at exit has nowhere to fail."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _line(text) -> str:
    """Untrusted text (a file name, a quote) as one line of console markup that shows it as it is."""
    return escape(" ".join(printable(text).splitlines()))


def _cells(*values) -> list[Text]:
    """Table cells shown as text: no markup read into them, no control characters run."""
    return [Text(printable(value)) for value in values]


def _flat(text) -> str:
    return " ".join(printable(text or "").split())


def _wrap(text, indent: int = 0, hang: int = 2, style: str = ""):
    """Untrusted text printed as text, wrapped at spaces to the terminal's width, as `git log`
    shows a commit's message: every line indented by `indent`, lines after the first by `hang` more."""
    width = max(out.width - indent - hang, 20)
    for number, line in enumerate(Text(_flat(text), style=style).wrap(out, width, overflow="fold") or [Text()]):
        line.rstrip()
        out.print(Text(" " * (indent + (hang if number else 0))) + line)


def _claim_block(header: list, quote, note=None, indent: int = 0, label: str = "why"):
    """One claim: a header line of its short fields (broken between fields when it must be),
    then its quote (and note) wrapped beneath, indented."""
    lines = [""]
    for field in (_flat(field) for field in header if field):
        joined = f"{lines[-1]} · {field}" if lines[-1] else field
        if lines[-1] and cell_len(joined) + indent + 2 > out.width:  # _wrap keeps 2 columns for its hang
            lines.append(field)
        else:
            lines[-1] = joined
    for number, line in enumerate(lines):
        _wrap(line, indent=indent + 2 * (number > 0), style="bold")
    _wrap(quote or "(no quote)", indent=indent + 4, hang=0)
    if note:
        _wrap(f"{label}: {_flat(note)}", indent=indent + 4, hang=len(label) + 2)
    out.print()


def json_option(command):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(command)


def emit_json(data):
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(cls=Graphctl, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(path_type=Path), envvar="GRAPHCTL_DB", default=DEFAULT_DB, show_default=True,
              help="The embedded store's file (used when no Neo4j server is configured).")
@click.option("--uri", envvar="NEO4J_URI", default=None,
              help="A Neo4j server (bolt://host:7687); with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE. [env: NEO4J_URI]")
@click.option("--wait", type=float, default=0, show_default=True,
              help="Seconds to wait for the embedded store when another graphctl process holds it.")
@click.version_option(package_name="graphctl")
@click.pass_context
def cli(ctx, db, uri, wait):
    """graphctl: actors, and the relationships documents claim between them.

    \b
    graphctl load seeds/                      read documents, extract claims, store them
    graphctl contested                        the links sources disagree on
    graphctl query contested_links --json     a shipped Cypher query (graphctl queries)
    graphctl export html -o out/network.html  a network view for the browser
    """
    _consoles()
    ctx.obj = Settings(db, uri, wait)


# -- load and extract --------------------------------------------------------

COPIES_OPTION = click.option(
    "--copies-threshold", type=click.FloatRange(0.05, 1.0), default=None, envvar="GRAPHCTL_COPIES_THRESHOLD",
    help="Documents at least this similar (estimated Jaccard of their bodies' word shingles) are copies of one "
         f"story, counted as one source [default: {sources.DEFAULT_THRESHOLD}; env: GRAPHCTL_COPIES_THRESHOLD]. The store is "
         "grouped again when documents changed or this is given.")

@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--claims", "claim_files", multiple=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A claims file (JSONL, the claims guide's format) to load beside the documents; repeatable.")
@click.option("--registry", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="The actor registry (default: actors.yaml in the folder loaded, else the shipped one).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extraction processes.")
@click.option("--strict", is_flag=True, help="Stop at the first document that can't be read.")
@click.option("--force", is_flag=True, help="Re-extract documents even when unchanged.")
@click.option("--allow-new-actors", is_flag=True, help="Accept actor ids in claims files that the registry lacks.")
@click.option("--batch-size", type=click.IntRange(1), default=pipeline.DEFAULT_BATCH_DOCS, show_default=True,
              help="Documents written per transaction (fewer if the store's claims cap comes first).")
@click.option("--max-size", type=click.FloatRange(0.001, 1e6), default=DEFAULT_MAX_BYTES / 1e6, show_default=True,
              callback=lambda ctx, param, value: _finite(value), help="Skip documents larger than this many MB.")
@COPIES_OPTION
@click.option("--no-discovery", is_flag=True, help="No provisional actors (names NER finds that the registry lacks).")
@json_option
@click.pass_obj
def load(settings, paths, claim_files, registry, jobs, strict, force, allow_new_actors, batch_size, max_size,
         copies_threshold, no_discovery, as_json):
    """Read documents (.txt, .md, .html) and claims files into the graph.

    Unchanged documents are skipped (only their hash is computed); a changed one
    replaces its own claims. Exit code 1 when some files could not be read.
    """
    if not paths and not claim_files:
        raise click.UsageError("give folders or files to load, or --claims FILE")
    registry_obj = pipeline.find_registry(paths, registry)
    with settings.open() as store:
        with _progress(not as_json) as report:
            summary = pipeline.load(store, list(paths), list(claim_files), registry_obj, jobs=jobs, strict=strict,
                                    force=force, allow_new_actors=allow_new_actors,
                                    max_bytes=int(max_size * 1e6), batch_size=batch_size, progress=report,
                                    copies_threshold=copies_threshold, discover=not no_discovery)
    if as_json:
        emit_json(summary.to_dict())
    else:
        _print_summary(summary)
    if summary.skipped:
        sys.exit(1)


def _finite(value: float) -> float:
    """FloatRange lets nan through (no comparison with nan is true)."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of MB")
    return value


class _progress:
    """A progress bar on stderr while documents are extracted."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and console.is_terminal

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import Progress

        self._bar = Progress(console=console, transient=True)
        self._bar.start()
        self._task = self._bar.add_task("extracting", total=None)
        return self.update

    def update(self, name, done, total):
        self._bar.update(self._task, completed=done, total=total, description=f"extracting {_line(name[:40])}")

    def __exit__(self, *exc):
        if self.enabled:
            self._bar.stop()


def _print_summary(summary: pipeline.LoadSummary):
    for error in summary.skipped:
        console.print(f"[yellow]skipped[/] {_line(error.path)}: {_line(error.reason)}", highlight=False, markup=True)
    counts = summary.counts
    out.print(
        f"documents: {summary.documents_seen} read, {summary.documents_loaded} loaded, "
        f"{summary.documents_unchanged} unchanged, {len(summary.skipped)} skipped\n"
        f"claims:    {summary.claims_extracted} extracted, {summary.curated_claims} curated "
        f"from {summary.curated_files} file(s)"
        + (f", {summary.curated_duplicates} duplicate line(s) ignored" if summary.curated_duplicates else "") + "\n"
        f"graph:     {counts.get('actors', 0)} actors, {counts.get('documents', 0)} documents, "
        f"{counts.get('claims', 0)} claims, {counts.get('links', 0)} links, "
        f"{counts.get('contested_links', 0)} contested\n"
        f"store:     {printable(summary.store)}", markup=False)
    groups = summary.copies.get("groups", [])
    if groups:
        out.print(f"copies:    {len(groups)} group(s) of copies of one story, "
                  f"{sum(g['copies'] for g in groups)} documents (graphctl copies)", markup=False)
    _print_review(summary.review)


def _print_review(applied: dict):
    if applied.get("decisions"):
        out.print("review:    " + ", ".join(f"{n} {kind}" for kind, n in sorted(applied["applied"].items()))
                  + f" applied, {len(applied['orphaned'])} orphaned"
                  + (f", {len(applied['refused'])} refused" if applied.get("refused") else ""), markup=False)
    for decision in applied.get("refused", []):
        console.print(f"[yellow]refused correction[/] {decision['claim']}: it names an actor the store lacks "
                      f"({decision.get('set')})", markup=True, highlight=False)
    for decision in applied.get("orphaned", []):
        console.print(f"[yellow]orphaned decision[/] {decision['decision']} {decision['claim']}: the claim "
                      f"({decision.get('was') or 'unknown'}) is no longer stored: its document changed?",
                      markup=True, highlight=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True,
              help="jsonl: claims to load with --claims; table: each claim as a block to read.")
@click.option("--registry", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="The actor registry (default: actors.yaml in the folder given, else the shipped one).")
@click.option("--guide-only", is_flag=True, help="Only the claims guide's keys, without offsets, rule and confidence.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--explain", is_flag=True,
              help="Say, in each claim's note, what made it: mentions, resolved pronouns, frame or score.")
def extract(paths, fmt, registry, guide_only, jobs, explain):
    """Extract claims from documents and print them; writes nothing to any database.

    The JSONL it prints loads with `graphctl load --claims FILE`, so extraction
    can run on many machines and the load on one.
    """
    from .claimsio import write_claims
    from .extracting import extract_paths

    registry_obj = pipeline.find_registry(paths, registry)
    extracted = extract_paths(paths, registry_obj, jobs=jobs, explain=explain)
    rows = []
    for _, claims in extracted.results:
        if fmt == "jsonl":
            write_claims(claims, sys.stdout, extras=not guide_only)
        else:
            rows.extend(claims)
    if fmt == "table":
        for c in rows:
            _claim_block([f"{c.subject} {c.predicate} {c.object}", c.polarity, f"said by {c.said_by}", c.certainty,
                          c.when, c.doc], c.quote, c.note if explain else None)
    _report_skipped(extracted.skipped)


def _report_skipped(skipped: list):
    """The files a command could not read, one line each; exit 1 if there was any."""
    for error in skipped:
        console.print(f"skipped {_line(error.path)}: {_line(error.reason)}")
    if skipped:
        sys.exit(1)


# -- queries ---------------------------------------------------------------

@cli.command("queries")
@json_option
def list_queries(as_json):
    """List the shipped Cypher queries (cypher/*.cypher) and what they answer."""
    shipped = queries.shipped_queries()
    if as_json:
        emit_json([{"name": q.name, "description": q.description, "parameters": q.parameters,
                    "defaults": q.defaults, "path": str(q.path)} for q in shipped.values()])
        return
    table = Table("name", "answers", "parameters")
    for q in shipped.values():
        params = ", ".join(f"{k}" + (f"={q.defaults[k]}" if k in q.defaults else "") for k in q.parameters)
        table.add_row(q.name, q.description.split(". ")[0].rstrip(".") + ".", params)
    out.print(table)


@cli.command()
@click.argument("statement")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A query parameter; VALUE is read as JSON when it parses, else as a string. Repeatable.")
@click.option("--write", is_flag=True, help="Allow a statement that writes to the graph.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@json_option
@click.pass_obj
def query(settings, statement, params, write, as_csv, as_json):
    """Run Cypher: a shipped query by name, a .cypher file, or a statement.

    \b
    graphctl query contested_links
    graphctl query actor_profile -p actor irgc --json
    graphctl query "MATCH (a:Actor) RETURN a.name LIMIT 5"

    Statements run read-only unless --write is given, on both stores.
    """
    text, shipped = queries.resolve(statement)
    given = {name: queries.parse_value(value) for name, value in params}
    bound = shipped.bind(given) if shipped else given
    with settings.open(read_only=not write) as store:
        result = store.query(queries.strip_comments(text), bound, write=write)
    render_rows(result.columns, result.rows, as_json, as_csv)


def render_rows(columns, rows, as_json=False, as_csv=False, title=None):
    if as_json:
        emit_json([dict(zip(columns, row)) for row in rows])
    elif as_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for v in row]
                          for row in rows])
        click.echo(buffer.getvalue(), nl=False)
    else:
        cells = [[_flat(_cell(value)) for value in row] for row in rows]
        table = Table(title=title and Text(printable(title)))
        for column in columns:
            table.add_column(Text(printable(column)))
        for row in cells:
            table.add_row(*_cells(*row))
        if _fits(table, cells):
            out.print(table)
        else:
            _records(columns, cells, title)
        console.print(f"{len(rows)} row(s)")


SHORT = 72  # a cell this long or shorter (a name, not prose) reads well in a table column, wrapped if need be


def _fits(table: Table, cells: list[list[str]]) -> bool:
    """A table when it fits the terminal as it is, or when its cells are short enough to wrap
    in columns without cutting a word; long text reads as records instead."""
    width = Measurement.get(out, out.options.update_width(10**6), table)  # as wide as it would like
    return width.maximum <= out.width or (width.minimum <= out.width
                                          and all(len(cell) <= SHORT for row in cells for cell in row))


def _records(columns, cells, title=None):
    """Rows as records, one field a line, long values wrapped beneath their name (psql's \\x)."""
    if title:
        out.print(Text(printable(title)))
    names = [_flat(column) for column in columns]
    key = min(max(map(len, names), default=0), 24)
    for number, row in enumerate(cells, start=1):
        out.print(Text(f"-[ {number} ]" + "-" * max(out.width - len(str(number)) - 6, 4)))
        for name, value in zip(names, row):
            if len(name) > key or out.width - key - 2 < 30:
                out.print(Text(name))
                _wrap(value, indent=4, hang=0)
            else:
                lines = Text(value).wrap(out, out.width - key - 2, overflow="fold") or [Text()]
                for label, line in zip([name] + [""] * len(lines), lines):
                    line = Text(label.ljust(key + 2)) + line
                    line.rstrip()
                    out.print(line)
    out.print()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@cli.command()
@json_option
@click.pass_obj
def status(settings, as_json):
    """Which store is in use, whether it answers, and what it holds."""
    kind = "neo4j" if settings.uri else "embedded"
    location = settings.uri or str(settings.db)
    try:
        with settings.open(read_only=True) as store:
            info = {"store": store.kind, "location": store.location, "reachable": True, "counts": store.counts()}
    except GraphctlError as error:
        info = {"store": kind, "location": location, "reachable": False, "error": str(error)}
    if as_json:
        emit_json(info)
    else:
        out.print(printable(f"store:     {info['store']} ({info['location']})"), markup=False)
        if info["reachable"]:
            out.print("reachable: yes\n" + "\n".join(f"{k + ':':<17}{v}" for k, v in info["counts"].items()),
                      markup=False)
        else:
            out.print(printable(f"reachable: no: {info['error']}"), markup=False)
    if not info["reachable"]:
        sys.exit(3)


@cli.command()
@json_option
@click.pass_obj
def repair(settings, as_json):
    """Bring the embedded store back to its last whole transaction.

    For a store that won't open because its log ends in a half-written transaction
    (the disk filled, or the machine stopped, mid-commit). That transaction is
    dropped: the documents it was writing are missing until the next load, which
    reads them again. Needs free space on the store's disk.
    """
    from .backends import repair_embedded

    if settings.uri:
        raise GraphctlError("repair is for the embedded store; Neo4j recovers its own")
    result = repair_embedded(settings.db)
    with settings.open(read_only=True) as store:
        result["counts"] = store.counts()
    if as_json:
        return emit_json(result)
    if result["repaired"]:
        out.print(printable(f"repaired {result['store']}: replayed its log ({result['log_bytes']:,} bytes) up to "
                            "the last whole transaction and dropped the half-written one after it: what it was "
                            "writing is missing until loaded again (a folder's next load rereads its "
                            "documents; give claims files again)"), markup=False)
    else:
        out.print(printable(f"{result['store']} opens as it is: nothing to repair"), markup=False)
    out.print("\n".join(f"{k + ':':<17}{v}" for k, v in result["counts"].items()), markup=False)


# -- views and exports --------------------------------------------------------

EXPORT_FORMATS = ["html", "graphml", "gexf", "json", "csv", "stix"]


@cli.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORT_FORMATS))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True), required=True,
              help="The file to write (its folder is created), a FIFO or device, or - for stdout.")
@click.option("--contested-only", is_flag=True, help="Only links that sources disagree on.")
@click.option("--actor", help="Only this actor's neighbourhood (an actor id).")
@click.option("--depth", type=click.IntRange(1, 5), default=1, show_default=True, help="Hops around --actor.")
@click.option("--predicate", "predicates", multiple=True, type=click.Choice(list(PREDICATES)),
              help="Only these predicates; repeatable.")
@click.option("--min-sources", type=click.IntRange(1), default=1, show_default=True,
              help="Only links claimed by at least this many speakers.")
@click.option("--source", help="Only what one document claims (its name).")
@click.option("--rollup", is_flag=True, help="Draw units' claims on their parents (Quds Force -> IRGC -> Iran).")
@json_option
@click.pass_obj
def export(settings, fmt, output, contested_only, actor, depth, predicates, min_sources, source, rollup, as_json):
    """Write the graph as an HTML network view, or as GraphML, GEXF, JSON or CSV.

    \b
    graphctl export html -o out/network.html --contested-only
    graphctl export graphml -o out/claims.graphml     # for Gephi, Cytoscape
    graphctl export stix -o out/bundle.json           # STIX 2.1, for OpenCTI (see README)

    The HTML page works offline: everything it needs is inside the file.
    Data exports keep every claim as its own edge, with all its properties.
    """
    from . import views

    filters = views.ViewFilter(contested_only=contested_only, actor=actor, depth=depth,
                               predicates=tuple(predicates), min_sources=min_sources, source=source, rollup=rollup)
    with settings.open(read_only=True) as store:
        if fmt == "stix":
            return _export_stix(store, output, filters, as_json)
        summary = views.export(store, fmt, output, filters)
    to_stdout = str(output) == views.STDOUT  # then stdout carries the export, and the summary goes to stderr
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2, default=str), err=to_stdout)
    else:
        click.echo(f"wrote {'stdout' if to_stdout else output}: {summary.nodes} actors, {summary.edges} edges, "
                   f"{summary.claims} claims", err=to_stdout)


def _export_stix(store, output, filters, as_json):
    from . import stix, views

    view = views.build_view(store, filters)
    text = stix.serialize(view)
    views.write_output(output, lambda stream: stream.write(text.encode("utf-8")))
    claims = sum(len(link.in_force) for link in view.links)
    to_stdout = str(output) == views.STDOUT  # then stdout carries the bundle, and the summary goes to stderr
    summary = {"path": "-" if to_stdout else str(output), "format": "stix", "actors": len(view.nodes),
               "claims": claims}
    if as_json:
        return click.echo(json.dumps(summary, indent=2), err=to_stdout)
    click.echo(printable(f"wrote {'stdout' if to_stdout else output}: STIX 2.1 bundle, {len(view.nodes)} actors, "
                         f"{claims} claims as relationships"), err=to_stdout)


# -- reports -------------------------------------------------------------------

# Counts go to the engines as 32-bit integers (Neo4j's list slices take no more).
MAX_COUNT = 2**31 - 1
LIMIT_OPTION = click.option("--limit", type=click.IntRange(1, MAX_COUNT), default=100, show_default=True,
                            help="The most links to show, most disputed first.")
QUOTES_OPTION = click.option("--quotes", type=click.IntRange(1, MAX_COUNT), default=analysis.QUOTES, show_default=True,
                             help="The most claims shown per side of a link (all are counted).")


@cli.command()
@LIMIT_OPTION
@QUOTES_OPTION
@json_option
@click.pass_obj
def contested(settings, limit, quotes, as_json):
    """The links sources disagree on, with who affirms and who denies."""
    with settings.open(read_only=True) as store:
        rows = analysis.contested_links(store, limit, quotes)
    if as_json:
        return emit_json(rows)
    out.print(Text(f"{len(rows)} contested link(s)\n"))
    for row in rows:
        _wrap(f"{analysis.label(row['subject'], row)} {row['predicate']} {analysis.label(row['object'], row)} · {row['affirms']} affirm · {row['denies']} deny"
              f" · {row['speakers']} speaker(s)", style="bold")
        out.print()
        for side, claims, total in (("affirmed", row["affirming"], row["affirms"]),
                                    ("denied", row["denying"], row["denies"])):
            for c in sorted(claims, key=lambda c: (c["said_by"], c["document"])):
                _claim_block([f"{side} by {c['said_by']}", c.get("certainty"), c.get("time"), c["document"],
                              _review_mark(c).lstrip(", ")], c.get("quote"), indent=2)
            if total > len(claims):
                out.print(Text(f"  … {len(claims)} of {total} {side} claims shown (graphctl link A B lists all)\n"))


def _review_mark(claim: dict) -> str:
    marks = [m for m in (claim.get("review"), claim.get("source") and claim["source"] != claim.get("document")
                         and f"copy of {claim['source']}") if m]
    return "".join(f", {mark}" for mark in marks)


def _clip(text, width=160):
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[:width - 1].rsplit(" ", 1)[0] + " …"  # whole words


@cli.command()
@click.argument("actor_id")
@json_option
@click.pass_obj
def actor(settings, actor_id, as_json):
    """An actor's claims in and out, by predicate and polarity, and its units' claims rolled up."""
    with settings.open(read_only=True) as store:
        profile = analysis.actor_profile(store, actor_id)
    if as_json:
        return emit_json(profile)
    out.print(printable(f"{profile['name']} ({profile['id']}, {profile['kind']})"
                        + (f", part of {profile['part_of']}" if profile["part_of"] else "")), markup=False)
    render_rows(["direction", "predicate", "other", "polarity", "claims", "speakers", "documents"],
                [[r[k] for k in ("direction", "predicate", "other", "polarity", "claims", "speakers", "documents")]
                 for r in profile["claims"]], title="its own claims")
    if profile["rolled_up"]:
        render_rows(["from_unit", "role", "predicate", "other", "polarity", "claims"],
                    [[r[k] for k in ("from_unit", "role", "predicate", "other", "polarity", "claims")]
                     for r in profile["rolled_up"]], title="rolled up from its units (not counted above)")


@cli.command()
@click.argument("a")
@click.argument("b")
@json_option
@click.pass_obj
def link(settings, a, b, as_json):
    """Every claim between two actors, both directions, with quotes and sources."""
    with settings.open(read_only=True) as store:
        rows = analysis.link_claims(store, a, b)
    if as_json:
        return emit_json(rows)
    out.print(Text(f"{len(rows)} claim(s) between {_flat(a)} and {_flat(b)}\n"))
    for r in rows:
        _claim_block([f"{analysis.label(r['subject'], r)} {r['predicate']} {analysis.label(r['object'], r)}", r["polarity"], f"said by {r['said_by']}",
                      r["certainty"], r["time"], r["document"], r.get("review")], r["quote"], r.get("review_note"),
                     label="review note")


@cli.group()
def report():
    """Write briefs to paste into an article or a memo."""


@report.command("contested")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="The Markdown file to write, a FIFO or device, or - (default: print it).")
@LIMIT_OPTION
@QUOTES_OPTION
@click.pass_obj
def report_contested(settings, output, limit, quotes):
    """A Markdown brief of the contested links: who affirms, who denies, quotes and documents."""
    with settings.open(read_only=True) as store:
        text = analysis.contested_brief(analysis.contested_links(store, limit, quotes),
                                        f"{store.kind} store {store.location}")
    if output and str(output) != "-":
        from .views import write_output

        write_output(output, lambda stream: stream.write(text.encode("utf-8")))
        console.print(printable(f"wrote {output}"), markup=False)
    else:
        click.echo(text, nl=False)


# -- extraction quality and actors ----------------------------------------------

@cli.command("import-files")
@click.argument("output", type=click.Path(path_type=Path, file_okay=False))
@click.argument("claim_files", nargs=-1, required=True,
                type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--registry", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="The actor registry (default: the shipped one).")
@json_option
def import_files(output, claim_files, registry, as_json):
    """Write CSV files for Neo4j's offline importer: the first load of a large corpus.

    CLAIM_FILES are claims JSONL, as `graphctl extract` prints them (on as many
    machines as you like). With the Neo4j server stopped, run the printed
    `neo4j-admin database import full` command, then start the server: graphctl
    creates the constraints and indexes when it first connects. Later loads go
    through `graphctl load` as usual.
    """
    from itertools import chain

    from .bulk import write_import_files
    from .claimsio import iter_claims

    registry_obj = pipeline.find_registry([], registry)
    claims = chain.from_iterable(iter_claims(f, known_actors=set(registry_obj.actors)) for f in claim_files)
    files = write_import_files(output, registry_obj.actors.values(), claims)
    command = ["neo4j-admin", "database", "import", "full", "neo4j", "--overwrite-destination", *files.arguments()]
    if as_json:
        return emit_json({"directory": str(files.directory), "counts": files.counts, "command": command})
    console.print(f"wrote {files.directory}: " + ", ".join(f"{n:,} {name}" for name, n in files.counts.items()))
    click.echo(" ".join(shlex.quote(part) for part in command))


@cli.command("eval")
@click.option("--gold", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Hand-annotated claims (JSONL, the claims guide's format) [default: the seeds' gold, "
                   "scored on the seeds].")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--registry", "registries", multiple=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Actor registry; repeat to add files (later ones extend earlier ones).")
@click.option("--no-scorer", is_flag=True, help="The frames alone, without the learned scorer.")
@json_option
def evaluate(gold, paths, registries, no_scorer, as_json):
    """Precision, recall and F1 of extraction against gold claims.

    PATHS are folders or files of documents, or a passages file (JSONL with
    id and text per line, the gold's `doc` naming the id); they default to
    the seeds, which graphctl ships with their gold: `graphctl eval` alone scores
    them. Scored on (doc, subject, predicate, object, polarity),
    COOPERATED_WITH in either direction, over every document read; said_by,
    certainty and when on the matched ones. Relations (all but PART_OF),
    PART_OF and denials are reported apart.
    """
    from .extracting import evaluate_paths

    report_ = evaluate_paths(gold, paths, registries, scorer=not no_scorer)
    if as_json:
        return emit_json(report_.to_dict())
    _print_scores(report_)


def _print_scores(report_):
    from .evaluation import Scores

    table = Table("tuples", "tp", "fp", "fn", "precision", "recall", "F1", title="extraction against gold")
    rows = [("all", report_.overall), ("relations (without PART_OF)", report_.without_part_of),
            ("PART_OF", report_.per_predicate.get("PART_OF") or Scores.from_sets(set(), set())),
            ("denials", report_.denials)]
    rows += [(p, s) for p, s in sorted(report_.per_predicate.items())]
    for name, s in rows:
        table.add_row(name, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}")
    out.print(table)
    out.print(f"said_by agreement on matched tuples: {report_.said_by_agreement:.2f}\n"
              f"certainty agreement: {report_.certainty_agreement:.2f}; when agreement: {report_.when_agreement:.2f}\n"
              f"contested links found: {len(report_.contested_links_found)} of {len(report_.contested_links_expected)}",
              markup=False)


@cli.group(invoke_without_command=True)
@click.option("--candidates", "candidate_paths", multiple=True, type=click.Path(path_type=Path),
              help="Documents to scan for organisations and people the registry lacks; repeatable.")
@click.option("--registry", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@json_option
@click.pass_context
def actors(ctx, candidate_paths, registry, as_json):
    """The actor registry, or (--candidates PATH) new actors NER finds that it lacks.

    Candidates are only reported, never added: add them to actors.yaml yourself.
    `graphctl actors check [FILE]` validates a registry.
    """
    if ctx.invoked_subcommand is not None:
        return
    registry_obj = pipeline.find_registry(candidate_paths, registry)
    if not candidate_paths:
        rows = [[a.id, a.name, a.kind, a.part_of or "", a.aliases if as_json else len(a.aliases)]
                for a in registry_obj.actors.values()]
        return render_rows(["id", "name", "kind", "part_of", "aliases"], rows, as_json)
    from .extracting import candidate_actors

    rows, skipped = candidate_actors(candidate_paths, registry_obj)
    render_rows(["text", "label", "count", "documents", "example"],
                [[e["text"], e["label"], e["count"], ", ".join(e["documents"]), _clip(e["example"], 120)] for e in rows],
                as_json)
    _report_skipped(skipped)


# -- the analyst's word, and copies of one story ---------------------------------------

REVIEW_KEYS = "y confirm · n reject · c correct · s skip · q quit · ? help"


@cli.command()
@click.argument("corpus", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--claim", "claim_id", help="Decide on one claim (its id) without asking: with --confirm, --reject "
                                          "or --correct.")
@click.option("--confirm", is_flag=True, help="Confirm the claim.")
@click.option("--reject", "reject_reason", metavar="REASON", help="Reject the claim, for this reason.")
@click.option("--correct", "corrections", multiple=True, metavar="FIELD=VALUE",
              help="Correct the claim: predicate=, polarity=, said_by=, certainty=, when=, subject=, object=, "
                   "or 'reverse' (swap subject and object); repeatable.")
@click.option("--reason", help="Why (with --confirm or --correct).")
@click.option("--list", "list_only", is_flag=True, help="Only list the claims to review, with their ids.")
@click.option("--doc", help="Only this document's claims.")
@click.option("--link", "pair", nargs=2, metavar="A B", help="Only the claims between two actors.")
@click.option("--all", "include_decided", is_flag=True, help="Also claims already decided.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@json_option
@click.pass_obj
def review(settings, corpus, claim_id, confirm, reject_reason, corrections, reason, list_only, doc, pair,
           include_decided, limit, as_json):
    """Confirm, reject or correct claims; decisions go to CORPUS/review.jsonl.

    \b
    graphctl review seeds/                       walk claims, lowest confidence first (single keys)
    graphctl review seeds/ --link iran al-qaeda  one link's claims
    graphctl review seeds/ --list --json         the claims to review, with their ids
    graphctl review seeds/ --claim ID --reject "a headline, not a claim"
    graphctl review seeds/ --claim ID --correct predicate=SUPPORTED --correct polarity=denies

    Every `graphctl load` of the folder applies the file again: a rejected claim stays
    stored but no longer counts; a corrected one counts as corrected; a decision whose
    claim no longer exists (its document changed) is reported as orphaned.
    """
    path = corpus / reviewing.FILE_NAME
    chosen = [flag for flag in (confirm, reject_reason is not None, bool(corrections)) if flag]
    if len(chosen) > 1 or (chosen and not claim_id) or (claim_id and not chosen):
        raise click.UsageError("--claim ID goes with one of --confirm, --reject REASON or --correct FIELD=VALUE")
    with settings.open() as store:
        if claim_id:
            row = _claim_row(store, claim_id)
            kind = "confirm" if confirm else "reject" if reject_reason is not None else "correct"
            decision = reviewing.Decision(row["id"], kind, reject_reason if kind == "reject" else reason,
                                          set=reviewing.parse_correction(corrections, row),
                                          was=reviewing.describe(row))
            reviewing.record(path, decision)
        else:
            decided = reviewing.read_decisions(path)
            rows = reviewing.candidates(store, doc, pair, include_decided, decided)[:limit]
            if list_only and as_json:
                return render_rows(["id", "claim", "confidence", "review", "quote"],
                                   [[r["id"], reviewing.describe(r), r["confidence"], r["review"] or "",
                                     _clip(r["quote"], 120)] for r in rows], as_json)
            if list_only:
                for r in rows:
                    _claim_block([r["id"], reviewing.describe(r), f"confidence {r['confidence']:.2f}", r["review"]],
                                 r["quote"])
                return
            _review_interactively(store, path, rows)
        applied = reviewing.apply(store, reviewing.read_decisions(path), reviewing.origin_of(corpus))
    if as_json:
        return emit_json(applied.to_dict())
    _print_review(applied.to_dict())


def _claim_row(store, claim_id: str) -> dict:
    found = reviewing.find_claim(store, claim_id)
    if len(found) != 1:
        raise GraphctlError(f"{'no' if not found else 'more than one'} stored claim with id {claim_id!r} "
                            "(graphctl review CORPUS --list shows them)")
    return found[0]


def _review_interactively(store, path: Path, rows: list[dict]):
    from rich.text import Text

    names = {r[0]: [r[1], *(r[2] or [])] for r in store.query("MATCH (a:Actor) RETURN a.id, a.name, a.aliases").rows}
    for number, row in enumerate(rows, start=1):
        out.print(f"\n[{number}/{len(rows)}] {reviewing.describe(row)}  certainty {row['certainty']}"
                  f"{', when ' + row['time'] if row['time'] else ''}, confidence {row['confidence']:.2f}"
                  f"{', ' + row['review'] if row['review'] else ''}  id {row['id']}", markup=False)
        text = Text(" ".join(reviewing.context(row).split()))
        for actor_id, style in ((row["subject"], "bold cyan"), (row["object"], "bold magenta")):
            text.highlight_words([w for w in names.get(actor_id, [actor_id]) if w], style, case_sensitive=False)
        out.print(text)
        while True:
            click.echo("Decide [y,n,c,s,q,?]? ", nl=False)
            key = _read_key()
            click.echo(key)
            if key == "?":
                click.echo(REVIEW_KEYS)
                continue
            break
        if key in ("q", "", "\x03", "\x04"):  # quit, or the end of input
            return
        if key not in ("y", "n", "c"):
            continue
        kind = {"y": "confirm", "n": "reject", "c": "correct"}[key]
        changes = {}
        if kind == "correct":
            changes = reviewing.parse_correction(click.prompt("set (predicate=… polarity=… said_by=… when=… "
                                                              "or reverse)").split(), row)
        why = None if kind == "confirm" else click.prompt("reason", default="", show_default=False) or None
        reviewing.record(path, reviewing.Decision(row["id"], kind, why, set=changes, was=reviewing.describe(row)))


def _read_key() -> str:
    """One key from the terminal; from a pipe or a file, its next character ('' at its end,
    which quits), so that `graphctl review` runs without a terminal too."""
    return click.getchar() if sys.stdin.isatty() else sys.stdin.read(1)


@cli.command()
@click.option("--threshold", type=click.FloatRange(0.05, 1.0), default=None,
              help="Group the stored documents again with this threshold (written to the store).")
@json_option
@click.pass_obj
def copies(settings, threshold, as_json):
    """The groups of copies of one story (syndicated, re-headlined, trimmed) the store counts as one source."""
    with settings.open(read_only=threshold is None) as store:
        groups = sources.regroup(store, threshold) if threshold else sources.stored_groups(store)
    if as_json:
        return emit_json(groups.to_dict())
    render_rows(["source", "copies", "declared story", "documents"],
                [[name, len(docs), groups.stories.get(name, ""), ", ".join(docs)]
                 for name, docs in groups.groups.items()],
                title=f"{len(groups.groups)} group(s) of copies among {groups.documents} documents")


@actors.command("check")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
def actors_check(file):
    """Validate a registry (default: the shipped one): duplicate ids, unknown kinds, part_of
    cycles and unknown parents, stopword aliases, aliases two actors hold undeclared.

    Prints one line per problem (file:line: actor: field: what) and exits 2 if there is any.
    """
    from .actors import Registry, check_registry

    path = file or pipeline.default_registry_path()
    if not Path(path).is_file():
        raise click.UsageError(f"{path}: no such file")
    problems = check_registry(Path(path))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        console.print(f"{path}: {len(problems)} problem(s)")
        sys.exit(2)
    registry_obj = Registry.from_yaml(Path(path))
    click.echo(f"{path}: {len(registry_obj)} actors, {registry_obj.alias_count} aliases: no problems")


# -- actors NER found that the registry lacks: provisional until reviewed (graph/discovery.py) ----

CORPUS_ARGUMENT = click.argument("corpus", type=click.Path(path_type=Path, file_okay=False, exists=True))


@actors.group("review")
def actors_review():
    """Review provisional actors: names NER found in CORPUS that the registry lacks.

    \b
    graphctl actors review list CORPUS                          with claims, documents and an example
    graphctl actors review accept CORPUS NAME --kind armed_group [--part-of ID] [--id ID]
    graphctl actors review merge CORPUS NAME INTO_ID            NAME becomes an alias of INTO_ID
    graphctl actors review reject CORPUS NAME                   never provisional again
    graphctl actors review undo CORPUS NAME                     the claims as before the decision

    Decisions go to CORPUS/actors.review.yaml (a plain file to keep in git), which every load
    of the folder applies; each command then loads CORPUS again (only what the decision changes).
    """


@actors_review.command("list")
@CORPUS_ARGUMENT
@json_option
@click.pass_obj
def actors_review_list(settings, corpus, as_json):
    """The provisional actors stored, with their claims, then the names already decided."""
    from . import discovery

    decisions = discovery.read_decisions(corpus / discovery.FILE_NAME)
    with settings.open(read_only=True) as store:
        rows = discovery.listing(store, decisions)
    if as_json:
        return emit_json(rows)
    render_rows(["name", "id", "kind", "claims", "documents", "decision", "example"],
                [[r["name"], r["id"], r["kind"], r["claims"], r["documents"], r["decision"],
                  r["claim"] and f"{r['claim']}: “{_clip(r['example'], 100)}”"] for r in rows],
                title="provisional actors (found by NER, not in the registry) and decided names")


@actors_review.command("accept")
@CORPUS_ARGUMENT
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(list(ACTOR_KINDS)), help="What it is (NER's label is a hint).")
@click.option("--part-of", help="The actor it belongs to (an id).")
@click.option("--id", "actor_id", help="Its id (default: the name's slug).")
@json_option
@click.pass_obj
def actors_review_accept(settings, corpus, name, kind, part_of, actor_id, as_json):
    """NAME becomes a registry actor of this corpus."""
    _decide(settings, corpus, as_json, name=name, decision="accept", kind=kind, part_of=part_of, id=actor_id)


@actors_review.command("merge")
@CORPUS_ARGUMENT
@click.argument("name")
@click.argument("into_id")
@json_option
@click.pass_obj
def actors_review_merge(settings, corpus, name, into_id, as_json):
    """NAME becomes an alias of the actor INTO_ID."""
    _decide(settings, corpus, as_json, name=name, decision="merge", into=into_id)


@actors_review.command("reject")
@CORPUS_ARGUMENT
@click.argument("name")
@json_option
@click.pass_obj
def actors_review_reject(settings, corpus, name, as_json):
    """NAME is no actor: its provisional claims go."""
    _decide(settings, corpus, as_json, name=name, decision="reject")


@actors_review.command("undo")
@CORPUS_ARGUMENT
@click.argument("name")
@json_option
@click.pass_obj
def actors_review_undo(settings, corpus, name, as_json):
    """Remove the decision on NAME: its documents' claims are as they were before it."""
    from . import discovery

    undone = discovery.undo(corpus / discovery.FILE_NAME, name)
    _reload(settings, corpus, as_json, f"undid {undone.decision} of '{undone.name}'",
            [undone.actor_id] if undone.decision == "accept" else [])


def _decide(settings, corpus, as_json, **fields):
    from . import discovery

    decision = discovery.Decision(**fields)
    discovery.record(corpus / discovery.FILE_NAME, decision, pipeline.find_registry([corpus]))
    what = {"accept": f"accepted as {decision.kind} '{decision.actor_id}'", "reject": "rejected",
            "merge": f"merged into '{decision.into}'"}[decision.decision]
    _reload(settings, corpus, as_json, f"'{decision.name}' {what}")


def _reload(settings, corpus, as_json, done: str, unused_ids=()):
    """Load the corpus again, so the store follows the decisions (only documents they change)."""
    from . import discovery

    with settings.open() as store:
        summary = pipeline.load(store, [corpus])
        discovery.remove_unused(store, unused_ids)
    if as_json:
        return emit_json({"done": done, "documents_extracted": summary.documents_loaded,
                          "claims_extracted": summary.claims_extracted, "graph": summary.counts})
    out.print(printable(f"{done}; {summary.documents_loaded} document(s) extracted again "
                        f"({summary.claims_extracted} claims); decisions in {corpus / discovery.FILE_NAME}"),
              markup=False)



def main():
    cli(prog_name="graphctl")


if __name__ == "__main__":
    main()
