"""Views of the graph: an HTML network page for the browser, and data exports
(GraphML, GEXF, node-link JSON, CSV) for Gephi, Cytoscape and scripts.

The data comes from three parameterised Cypher queries that both stores run
(the claims with their documents, the actors, the registry's UNIT_OF
structure); filtering, roll-up and grouping into links happen here, so both
stores give the same view.

- HTML: one edge per link (subject, predicate, object; COOPERATED_WITH in
  either direction), its claims behind it. The page is self-contained (vis-network
  inlined from pyvis's package, no URL is ever loaded) and treats every text
  from documents as data: it travels as escaped JSON and is shown with
  textContent only.
- Data exports: every claim its own edge, with all its properties.

A file is written to a temporary file beside the target, then renamed (write_output).
"""
from __future__ import annotations

import base64
import csv
import difflib
import hashlib
import io
import json
import math
import os
import stat
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import networkx as nx

from .errors import GraphctlError
from .fields import CLAIM_FIELDS, cypher_returns
from .links import STATES, LinkTally, tally_rows
from .model import ACTOR_KINDS, DOCUMENT_SPEAKERS, PREDICATES, SYMMETRIC, counts, link_key, link_parts
from .safetext import xml_text

FORMATS = ("html", "graphml", "gexf", "json", "csv")
# Above this many edges a browser can't show the network usably: the HTML export refuses.
MAX_HTML_EDGES = 5000
# Above this many edges physics is off from the start: positions come from networkx only.
PHYSICS_MAX_EDGES = 1500
LAYOUT_SEED = 7
TEMPLATES = Path(__file__).parent / "templates"

# -- the queries -------------------------------------------------------------

# What a view shows of a claim's document.
DOCUMENT_DESCRIPTION = ("title", "outlet", "url", "date", "reliability")
# Every stored field of each claim (graph/fields.py), with its document's description.
_CLAIMS = f"""
MATCH (c:Claim)
WHERE c.predicate IN $predicates AND ($source = '' OR c.doc = $source)
OPTIONAL MATCH (c)-[:IN_DOCUMENT]->(d:Document)
RETURN {cypher_returns(CLAIM_FIELDS, "c")}, {cypher_returns(DOCUMENT_DESCRIPTION, "d")}
ORDER BY id
"""
_ACTORS = ("MATCH (a:Actor) RETURN a.id AS id, a.name AS name, a.kind AS kind, a.aliases AS aliases, "
           "a.provisional AS provisional")
_UNITS = "MATCH (unit:Actor)-[:UNIT_OF]->(parent:Actor) RETURN unit.id AS unit, parent.id AS parent"
_DOCUMENT = "MATCH (d:Document) WHERE d.name = $name RETURN d.name AS name"
_DOCUMENT_NAMES = "MATCH (d:Document) RETURN d.name AS name"

# -- filters, links, views -----------------------------------------------------


@dataclass(frozen=True)
class ViewFilter:
    """Which part of the graph a view shows; the filters combine."""

    contested_only: bool = False
    actor: str | None = None
    depth: int = 1
    predicates: tuple = ()
    min_sources: int = 1
    source: str | None = None
    rollup: bool = False

    def describe(self) -> str:
        parts = []
        if self.contested_only:
            parts.append("contested links only")
        if self.actor:
            parts.append(f"around {self.actor} (depth {self.depth})")
        if self.predicates:
            parts.append("predicates " + ", ".join(self.predicates))
        if self.min_sources > 1:
            parts.append(f"at least {self.min_sources} speakers per link")
        if self.source:
            parts.append(f"claims of {self.source}")
        if self.rollup:
            parts.append("units rolled up to their top parent")
        return "; ".join(parts) or "all links"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["predicates"] = list(self.predicates)
        return data


def _tallied(name: str) -> property:
    """A Link's property that its tally (graph/links.py) gives."""
    return property(lambda link: getattr(link.tally, name), doc=f"The link's {name} (graph/links.py).")


@dataclass
class Link:
    """A (subject, predicate, object) and the claims in view that speak about it; its state is
    graph/links.py's, counted over them."""

    key: str
    subject: str
    predicate: str
    object: str
    claims: list[dict] = field(default_factory=list)  # every claim, also those set aside in review

    @property
    def tally(self) -> LinkTally:
        return tally_rows(self.claims)

    @property
    def in_force(self) -> list[dict]:
        """The claims that count: not rejected or replaced in review (model.counts)."""
        return [c for c in self.claims if counts(c.get("review"))]

    # Counted by graph/links.py over the claims in view (those set aside in review don't count).
    affirms = _tallied("affirms")
    denies = _tallied("denies")
    speakers = _tallied("speakers")
    documents = _tallied("documents")  # copies of one story (graph/sources.py) count once
    state = _tallied("state")  # affirmed or denied only; contested; mixed (links.STATES)
    tentative = _tallied("tentative")

    @property
    def rolled_up(self) -> bool:
        return any(c.get("rolled_up") for c in self.claims)

    @property
    def directed(self) -> bool:
        return self.predicate not in SYMMETRIC


@dataclass
class View:
    """What one export shows: the actors (every one the store knows) and the links in view."""

    filters: ViewFilter
    actors: dict[str, dict]
    links: list[Link]
    internal: int = 0  # rolled-up claims left out: between a unit and its own parent

    def describe(self) -> str:
        text = self.filters.describe()
        if self.internal:
            text += f" ({self.internal} claim(s) within one actor's own structure left out)"
        return text

    @property
    def claims(self) -> list[dict]:
        return [c for link in self.links for c in link.claims]

    @property
    def nodes(self) -> list[str]:
        return sorted({end for link in self.links for end in (link.subject, link.object)})

    def actor(self, actor_id: str) -> dict:
        return self.actors.get(actor_id) or {"id": actor_id, "name": actor_id, "kind": "unknown", "aliases": []}


@dataclass
class ExportSummary:
    path: Path
    nodes: int
    edges: int
    claims: int
    format: str = "html"
    filters: ViewFilter = field(default_factory=ViewFilter)

    def to_dict(self) -> dict:
        return {"path": str(self.path), "format": self.format, "nodes": self.nodes, "edges": self.edges,
                "claims": self.claims, "filters": self.filters.to_dict()}


def build_view(store, filters: ViewFilter | None = None) -> View:
    """The links the filters select, each with its claims, from one store."""
    filters = filters or ViewFilter()
    _check_filters(store, filters)
    actors = {r["id"]: r for r in store.query(_ACTORS).records()}
    params = {"predicates": list(filters.predicates or PREDICATES), "source": filters.source or ""}
    claims = store.query(_CLAIMS, params).records()
    for claim in claims:  # the store keeps the evidence joined as one quote
        claim["evidence"] = (claim["quote"] or "").split(" … ")
    internal = 0
    if filters.rollup:
        kept = roll_up(claims, top_parents(store))
        claims, internal = kept, len(claims) - len(kept)
    links = [link for link in group_links(claims) if _passes(link, filters)]
    if filters.actor:
        center = _resolve_actor(filters.actor, actors, claims)
        if filters.rollup:
            center = top_parents(store).get(center, center)
        links = neighbourhood(links, center, filters.depth)
    return View(filters, actors, links, internal)


def _check_filters(store, filters: ViewFilter):
    unknown = [p for p in filters.predicates if p not in PREDICATES]
    if unknown:
        raise GraphctlError(f"unknown predicate(s) {', '.join(unknown)}: use {', '.join(PREDICATES)}")
    if filters.depth < 1 or filters.min_sources < 1:
        raise GraphctlError("--depth and --min-sources must be at least 1")
    if filters.source and not store.query(_DOCUMENT, {"name": filters.source}).rows:
        names = [r[0] for r in store.query(_DOCUMENT_NAMES).rows]
        raise GraphctlError(f"no document named {filters.source!r} in the graph{_did_you_mean(filters.source, names)}")


def _resolve_actor(given: str, actors: dict, claims: list[dict]) -> str:
    """An actor id, from its id or (case aside) its name."""
    known = set(actors) | {c["subject"] for c in claims} | {c["object"] for c in claims}
    if given in known:
        return given
    by_name = {(a.get("name") or "").casefold(): a["id"] for a in actors.values()}
    if given.casefold() in by_name:
        return by_name[given.casefold()]
    raise GraphctlError(f"no actor {given!r} in the graph{_did_you_mean(given, sorted(known))}")


def _did_you_mean(given: str, names: list[str]) -> str:
    close = difflib.get_close_matches(given, names, n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def top_parents(store) -> dict[str, str]:
    """Each unit's top parent, following the registry's UNIT_OF chain (quds-force -> irgc -> iran)."""
    parent = {r["unit"]: r["parent"] for r in store.query(_UNITS).records()}
    tops = {}
    for unit in parent:
        seen, current = {unit}, parent[unit]
        while current in parent and parent[current] not in seen:  # a cycle stops the climb
            seen.add(current)
            current = parent[current]
        tops[unit] = current
    return tops


def roll_up(claims: list[dict], tops: dict[str, str]) -> list[dict]:
    """Claims on units moved onto their top parents and marked so; a claim between a
    unit and its own parent (irgc PART_OF iran) would become a loop and is left out."""
    rolled = []
    for claim in claims:
        subject, obj = tops.get(claim["subject"], claim["subject"]), tops.get(claim["object"], claim["object"])
        if (subject, obj) == (claim["subject"], claim["object"]):
            rolled.append(claim)
            continue
        if subject == obj:
            continue
        moved = dict(claim, subject=subject, object=obj, rolled_up=True,
                     unit_subject=claim["subject"], unit_object=claim["object"])
        moved["link_key"] = link_key(subject, claim["predicate"], obj)
        rolled.append(moved)
    return rolled


def group_links(claims: list[dict]) -> list[Link]:
    """Claims grouped by their link key (COOPERATED_WITH meets in either direction)."""
    links: dict[str, Link] = {}
    for claim in claims:
        key = claim["link_key"]
        if key not in links:
            links[key] = Link(key, *link_parts(key))
        links[key].claims.append(claim)
    return [links[key] for key in sorted(links)]


def _passes(link: Link, filters: ViewFilter) -> bool:
    if not link.in_force:  # every claim of it set aside in review
        return False
    if filters.contested_only and link.state != "contested":
        return False
    return link.speakers >= filters.min_sources


def neighbourhood(links: list[Link], center: str, depth: int) -> list[Link]:
    """The links among the actors within `depth` hops of `center`, in either direction."""
    graph = nx.Graph()
    graph.add_edges_from((link.subject, link.object) for link in links)
    if center not in graph:
        return []
    near = nx.single_source_shortest_path_length(graph, center, cutoff=depth)
    return [link for link in links if link.subject in near and link.object in near]


# -- export ---------------------------------------------------------------------


def export(store, fmt: str, path, filters: ViewFilter | None = None) -> ExportSummary:
    """Write the filtered graph as `fmt` to `path`, atomically; what was written."""
    if fmt not in FORMATS:
        raise GraphctlError(f"unknown export format {fmt!r}: use {', '.join(FORMATS)}")
    view = build_view(store, filters)
    path = Path(path)
    if fmt == "html":
        check_size(view)
        write_output(path, lambda stream: stream.write(render_html(view, store).encode("utf-8")))
        return ExportSummary(path, len(view.nodes), len(view.links), len(view.claims), fmt, view.filters)
    graph = claim_graph(view)
    write_output(path, WRITERS[fmt](graph, view))
    return ExportSummary(path, graph.number_of_nodes(), graph.number_of_edges(), len(view.claims), fmt,
                         view.filters)


def check_size(view: View):
    if len(view.links) > MAX_HTML_EDGES:
        raise GraphctlError(
            f"the view has {len(view.links)} edges, more than the {MAX_HTML_EDGES} a browser page can show "
            f"usably: narrow it with --contested-only, --actor ID (with --depth), --min-sources N, --predicate "
            f"or --source, or export graphml/gexf for Gephi")


STDOUT = "-"


def write_output(path, write: Callable):
    """`write(binary_stream)` to `path`, as what `path` is:

    - "-": standard output;
    - a FIFO or a character device (/dev/stdout, /dev/null, a terminal): streamed into it;
    - a symlink: its target, written as a regular file would be (the link stays a link);
    - a regular file, or nothing yet: a temporary file beside it, renamed onto it, so a
      failure or a kill never leaves a half-written file.

    Anything else (a folder, a socket, a block device) is refused, as are paths that can't
    be written (under a file, in /proc, read-only): one GraphctlError line each."""
    if str(path) == STDOUT:
        return _stream(sys.stdout.buffer, write)
    shown = str(path)
    target = Path(os.path.realpath(path))  # through every symlink, to the file itself
    try:
        mode = target.stat().st_mode if target.exists() else None
        if mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
            with open(target, "wb") as stream:
                return _stream(stream, write)
        if mode is not None and not stat.S_ISREG(mode):
            raise GraphctlError(f"cannot write {shown}: not a regular file, a FIFO or a terminal")
        _replace_atomically(target, write, mode)
    except OSError as exc:
        raise GraphctlError(f"cannot write {shown}: {exc.strerror or exc}") from None


def _stream(stream, write: Callable):
    write(stream)
    stream.flush()


def _replace_atomically(path: Path, write: Callable, mode: int | None):
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is None:  # a new file gets the usual permissions, an existing one keeps its own
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, stat.S_IMODE(mode))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- data exports: one edge per claim ---------------------------------------------

# What a view adds to a stored claim: its evidence as a list again, and where roll-up moved it from.
VIEW_MADE = ("evidence", "rolled_up", "unit_subject", "unit_object")
# Every field of the claim on its edge, but those the edge is made of: its id keys the edge (and is
# its claim_id), its actors are the edge's ends.
EXPORTED = tuple(name for name in (*CLAIM_FIELDS, *DOCUMENT_DESCRIPTION, *VIEW_MADE)
                 if name not in ("id", "subject", "object"))
# What the edge adds: the claim's id, a label for Gephi, its link's state.
EDGE_MADE = ("claim_id", "label", "link_state", "link_speakers")


def claim_graph(view: View) -> nx.MultiDiGraph:
    """Actors as nodes, every claim in view its own edge (keyed by the claim's id)."""
    graph = nx.MultiDiGraph(description=view.describe())
    states = {link.key: link for link in view.links}
    for actor_id in view.nodes:
        actor = view.actor(actor_id)
        graph.add_node(actor_id, label=actor.get("name") or actor_id, name=actor.get("name") or actor_id,
                       kind=actor.get("kind") or "unknown", aliases=list(actor.get("aliases") or []),
                       provisional=bool(actor.get("provisional")))
    for claim in view.claims:
        link = states[claim["link_key"]]
        data = {name: claim.get(name) for name in EXPORTED}
        data.update(claim_id=claim["id"], label=claim["predicate"], link_state=link.state,
                    link_speakers=link.speakers, rolled_up=bool(claim.get("rolled_up")))
        graph.add_edge(claim["subject"], claim["object"], key=claim["id"], **data)
    return graph


def scalar_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy GraphML and GEXF can write: no None values, lists joined into text."""
    flat = nx.MultiDiGraph(**_scalars(graph.graph))
    flat.add_nodes_from((n, _scalars(d)) for n, d in graph.nodes(data=True))
    flat.add_edges_from((u, v, xml_text(k), _scalars(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return flat


def _scalars(data: dict) -> dict:
    """Lists joined, None dropped, and text stripped of what XML cannot hold (a document's
    control characters would make GraphML fail and GEXF invalid)."""
    flat = {key: " | ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
            for key, value in data.items() if value is not None}
    return {key: xml_text(value) if isinstance(value, str) else value for key, value in flat.items()}


def _write_graphml(graph, view):
    return lambda stream: nx.write_graphml(scalar_graph(graph), stream, encoding="utf-8")


def _write_gexf(graph, view):
    return lambda stream: nx.write_gexf(scalar_graph(graph), stream, encoding="utf-8")


def _write_json(graph, view):
    data = nx.node_link_data(graph, edges="edges")
    data["graph"]["filters"] = view.filters.to_dict()
    return lambda stream: stream.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


# A selection for spreadsheets, from the exported fields, the edge's and the actors' names.
CSV_COLUMNS = ("claim_id", "subject", "subject_name", "predicate", "object", "object_name", "polarity",
               "said_by", "certainty", "time", "doc", "title", "outlet", "date", "quote", "link_key",
               "link_state", "rolled_up", "unit_subject", "unit_object", "origin", "confidence", "review",
               "source")


def _write_csv(graph, view):
    def write(stream):
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for subject, obj, data in graph.edges(data=True):
            writer.writerow(dict(data, subject=subject, object=obj, subject_name=graph.nodes[subject]["name"],
                                 object_name=graph.nodes[obj]["name"]))
        text.flush()
        text.detach()
    return write


WRITERS = {"graphml": _write_graphml, "gexf": _write_gexf, "json": _write_json, "csv": _write_csv}

# -- the HTML page ------------------------------------------------------------------

STATE_COLOURS = {"affirmed": "#2e7d32", "denied": "#c62828", "contested": "#ef6c00", "mixed": "#7e57c2"}
STATE_LABELS = {"affirmed": "affirmed only", "denied": "denied only",
                "contested": "contested (affirmed and denied by different speakers)",
                "mixed": "affirmed and denied by one speaker"}
# vis-network shape, fill colour and a legend glyph for each kind of actor.
KIND_STYLES = {
    "state": ("square", "#1e88e5", "■"),
    "government_body": ("diamond", "#00897b", "◆"),
    "armed_group": ("triangle", "#6d4c41", "▲"),
    "organization": ("hexagon", "#8e24aa", "⬢"),
    "person": ("dot", "#f9a825", "●"),
    "group": ("star", "#546e7a", "★"),
    "unknown": ("triangleDown", "#9e9e9e", "▼"),
}
assert set(ACTOR_KINDS) <= set(KIND_STYLES)
# Provisional actors (found by NER, not in the registry, awaiting review): white, with a dashed red border.
PROVISIONAL_BORDER = "#d32f2f"
PROVISIONAL_STYLE = {"color": {"background": "#ffffff", "border": PROVISIONAL_BORDER,
                               "highlight": {"background": "#ffffff", "border": "#000000"}},
                     "shapeProperties": {"borderDashes": [4, 3]}, "borderWidth": 2}


def render_html(view: View, store) -> str:
    """The page: title, legend, network and side panel, with vis-network inlined."""
    from jinja2 import Environment, FileSystemLoader

    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    data = network_data(view)
    counts = {"actors": len(view.nodes), "edges": len(view.links), "claims": len(view.claims)}
    vis_js, vis_css = _vis_assets()
    page_js = (TEMPLATES / "network.js").read_text(encoding="utf-8")
    scripts = [_inline_script(vis_js), _inline_script(page_js)]
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    return env.get_template("network.html").render(
        counts=counts, description=view.describe(), store_kind=store.kind, store_location=store.location,
        made=made, data_json=safe_json(data), vis_js=scripts[0], page_js=scripts[1],
        vis_css=_inline_style(vis_css), page_css=(TEMPLATES / "network.css").read_text(encoding="utf-8"),
        script_hashes=" ".join(f"'sha256-{_sha256(s)}'" for s in scripts),
        states=[(STATE_COLOURS[s], STATE_LABELS[s]) for s in STATES],
        kinds=[(kind, style[1], style[2]) for kind, style in KIND_STYLES.items()],
        provisional_border=PROVISIONAL_BORDER,
    )


def network_data(view: View) -> dict:
    """Nodes and edges as vis-network takes them (built with pyvis), and each edge's
    claims and each actor's record for the page's own panels."""
    from pyvis.network import Network

    net = Network(directed=True)
    degree = Counter(end for link in view.links for end in (link.subject, link.object))
    positions = layout(view)
    for actor_id in view.nodes:
        actor = view.actor(actor_id)
        shape, colour, _ = KIND_STYLES.get(actor.get("kind") or "unknown", KIND_STYLES["unknown"])
        x, y = positions[actor_id]
        style = PROVISIONAL_STYLE if actor.get("provisional") else {
            "color": {"background": colour, "border": "#263238", "highlight": {"background": colour, "border": "#000000"}},
            "borderWidth": 1}
        net.add_node(actor_id, label=actor.get("name") or actor_id, shape=shape, size=_node_size(degree[actor_id]),
                     x=round(x, 1), y=round(y, 1), **style)
    smooth = curves(view.links)
    for index, link in enumerate(view.links):
        net.add_edge(link.subject, link.object, **_edge_options(f"e{index}", link, smooth[link.key]))
    physics = len(view.links) <= PHYSICS_MAX_EDGES
    net.options = _vis_options(physics)
    nodes, edges, _, _, _, options = net.get_network_data()
    return {
        "nodes": nodes, "edges": edges, "options": json.loads(options), "physics": physics,
        "links": {f"e{i}": _link_record(link) for i, link in enumerate(view.links)},
        "actors": {actor_id: _actor_record(view.actor(actor_id), degree[actor_id]) for actor_id in view.nodes},
        "speakers": {c["said_by"]: view.actor(c["said_by"]).get("name") or c["said_by"]
                     for c in view.claims if c["said_by"] not in DOCUMENT_SPEAKERS},
        "states": STATE_COLOURS,
    }


def _node_size(degree: int) -> float:
    return round(10 + 5 * math.sqrt(degree), 1)


def _edge_options(edge_id: str, link: Link, smooth: dict) -> dict:
    colour = STATE_COLOURS[link.state]
    options = {
        "id": edge_id, "color": {"color": colour, "highlight": colour, "hover": colour, "opacity": 0.9},
        "width": min(1.5 + 1.5 * (link.speakers - 1), 12), "dashes": link.tentative,
        "arrows": {"to": {"enabled": link.directed, "scaleFactor": 0.6}},
        "smooth": smooth,
    }
    if link.rolled_up:
        options["label"] = "⇡"
        options["font"] = {"size": 14, "color": "#455a64", "strokeWidth": 3, "align": "middle"}
    return options


def curves(links: list[Link]) -> dict[str, dict]:
    """Each link's vis `smooth` option: parallel links between the same two actors
    curve apart, alternately to either side, instead of overlapping."""
    pairs = defaultdict(list)
    for link in links:
        pairs[tuple(sorted((link.subject, link.object)))].append(link)
    smooth = {}
    for pair, siblings in pairs.items():
        for index, link in enumerate(siblings):
            if len(siblings) == 1:
                smooth[link.key] = {"enabled": False}
                continue
            forward = (link.subject, link.object) == pair
            clockwise = (index % 2 == 0) == forward
            smooth[link.key] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                                "roundness": round(0.18 + 0.18 * (index // 2), 2)}
    return smooth


def _vis_options(physics: bool) -> dict:
    return {
        "physics": {
            "enabled": physics, "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.05, "springLength": 160,
                          "springConstant": 0.02, "damping": 0.6, "avoidOverlap": 0.5},
            "maxVelocity": 30, "minVelocity": 1.5, "timestep": 0.4,
            "stabilization": {"enabled": physics, "iterations": 200, "updateInterval": 50, "fit": True},
        },
        "interaction": {"hover": True, "hoverConnectedEdges": False, "tooltipDelay": 150, "multiselect": False,
                        "navigationButtons": False, "keyboard": False},
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"selectionWidth": 2, "hoverWidth": 1.5},
        "layout": {"improvedLayout": False, "randomSeed": LAYOUT_SEED},
    }


def _link_record(link: Link) -> dict:
    return {"subject": link.subject, "predicate": link.predicate, "object": link.object, "state": link.state,
            "speakers": link.speakers, "documents": link.documents, "tentative": link.tentative,
            "rolled_up": link.rolled_up, "directed": link.directed, "set_aside": len(link.claims) - len(link.in_force),
            "copies": len({c["doc"] for c in link.in_force}) - link.documents,
            "claims": [_claim_record(c) for c in link.claims]}


# A selection: the page carries only what its side panel shows (templates/network.js).
PAGE_FIELDS = ("id", "subject", "object", "polarity", "said_by", "certainty", "time", "quote", "doc", "title",
               "outlet", "date", "url", "unit_subject", "unit_object", "review", "review_note", "source")


def _claim_record(claim: dict) -> dict:
    return {key: claim.get(key) for key in PAGE_FIELDS if claim.get(key) is not None}


def _actor_record(actor: dict, degree: int) -> dict:
    return {"id": actor["id"], "name": actor.get("name") or actor["id"], "kind": actor.get("kind") or "unknown",
            "provisional": bool(actor.get("provisional")),
            "degree": degree}


def layout(view: View, scale_per_node: float = 90.0) -> dict[str, tuple[float, float]]:
    """Positions that settle: each connected component laid out by networkx
    (spring layout, fixed seed), the components packed in rows, biggest first."""
    graph = nx.Graph()
    graph.add_nodes_from(view.nodes)
    for link in view.links:
        weight = graph.get_edge_data(link.subject, link.object, {}).get("weight", 0)
        graph.add_edge(link.subject, link.object, weight=weight + 1)
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    positions, x, y, row_height = {}, 0.0, 0.0, 0.0
    width = scale_per_node * math.sqrt(max(len(graph), 1)) * 3
    for nodes in components:
        radius = scale_per_node * math.sqrt(len(nodes)) if len(nodes) > 1 else scale_per_node / 3
        local = _component_layout(graph.subgraph(nodes))
        if x > 0 and x + 2 * radius > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in local.items():
            positions[node] = (x + radius + px * radius, y + radius + py * radius)
        x += 2 * radius + scale_per_node / 2
        row_height = max(row_height, 2 * radius + scale_per_node / 2)
    return positions


def _component_layout(graph: nx.Graph) -> dict:
    if len(graph) == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if len(graph) < 500:
        k = 2.5 / math.sqrt(len(graph))  # twice and a half networkx's default spacing: hubs spread out
        return nx.spring_layout(graph, k=k, seed=LAYOUT_SEED, method="force", weight=None, iterations=200)
    return nx.spring_layout(graph, seed=LAYOUT_SEED, method="force", weight=None)  # sparse (scipy) at this size


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style, taken from a page pyvis makes with them inlined
    (its documented cdn_resources="in_line"), not from pyvis's files."""
    from html.parser import HTMLParser

    from pyvis.network import Network

    class Blocks(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=False)
            self.blocks, self.inside = [], False

        def handle_starttag(self, tag, attrs):
            self.inside = tag in ("script", "style") and not dict(attrs).get("src")
            if self.inside:
                self.blocks.append([tag, ""])

        def handle_endtag(self, tag):
            self.inside = False

        def handle_data(self, data):
            if self.inside:
                self.blocks[-1][1] += data

    parser = Blocks()
    parser.feed(Network(cdn_resources="in_line").generate_html())
    script = [text for tag, text in parser.blocks if tag == "script" and "vis-network" in text[:200]]
    style = [text for tag, text in parser.blocks if tag == "style" and ".vis-network" in text]
    if len(script) != 1 or len(style) != 1:
        raise GraphctlError("pyvis no longer inlines vis-network as expected (cdn_resources='in_line')")
    return script[0], style[0]


def safe_json(data) -> str:
    """JSON that can sit inside a <script> element: no <, > or & can close it or open markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline_script(code: str) -> str:
    return code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _inline_style(css: str) -> str:
    return css.replace("</style", "<\\/style").replace("</STYLE", "<\\/STYLE")


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
