"""The questions analysts ask, answered by the shipped Cypher queries.

Each function runs one query from cypher/ on a store and returns plain rows;
the Markdown brief turns the contested links into text for a memo or an article.
"""
from __future__ import annotations

from datetime import datetime, timezone

from .errors import GraphctlError
from .queries import shipped_queries, strip_comments
from .safetext import md_code, printable
from .store import Store


def run_shipped(store: Store, name: str, **params) -> list[dict]:
    query = shipped_queries()[name]
    return store.query(strip_comments(query.text), query.bind(params)).records()


QUOTES = 5  # claims shown per side of a contested link; all are counted


def contested_links(store: Store, limit: int = 100, quotes: int = QUOTES) -> list[dict]:
    """The most disputed links first, at most `limit` of them, each side with its count and
    up to `quotes` of its claims."""
    return mark_provisional(store, run_shipped(store, "contested_links", limit=limit, quotes=quotes))


def mark_provisional(store: Store, rows: list[dict]) -> list[dict]:
    """Each row's `provisional`: which of its subject and object are provisional actors (found by
    NER, not yet reviewed: graph/discovery.py), so they are shown apart."""
    from .discovery import provisional_ids

    provisional = provisional_ids(store)
    for row in rows:
        row["provisional"] = [a for a in dict.fromkeys((row["subject"], row["object"])) if a in provisional]
    return rows


def label(actor_id: str, row: dict) -> str:
    """An actor id as shown in reports: provisional ones say so."""
    return actor_id + (" (provisional)" if actor_id in row.get("provisional", ()) else "")


def actor_profile(store: Store, actor_id: str) -> dict:
    found = store.query("MATCH (a:Actor {id: $id}) RETURN a.id, a.name, a.kind, a.part_of", {"id": actor_id}).rows
    if not found:
        raise GraphctlError(f"no actor '{actor_id}' in the graph; `graphctl query \"MATCH (a:Actor) RETURN a.id\"` lists them")
    actor_id, name, kind, part_of = found[0]
    return {"id": actor_id, "name": name, "kind": kind, "part_of": part_of,
            "claims": run_shipped(store, "actor_profile", actor=actor_id),
            "rolled_up": run_shipped(store, "rollup", actor=actor_id)}


def link_claims(store: Store, a: str, b: str) -> list[dict]:
    return mark_provisional(store, run_shipped(store, "link_claims", a=a, b=b))


def contested_brief(rows: list[dict], store_description: str) -> str:
    """A Markdown brief of the contested links: who affirms, who denies, the quotes and the documents."""
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Contested links",
        "",
        f"{len(rows)} link(s) on which sources disagree: at least one claim affirms the link and one "
        f"denies it, from different speakers. From {store_description}, {made}.",
        "",
    ]
    for row in rows:
        lines += [f"## {label(row['subject'], row)} {row['predicate']} {label(row['object'], row)}", ""]
        for side, claims, total in (("Affirmed", row["affirming"], row["affirms"]),
                                    ("Denied", row["denying"], row["denies"])):
            shown = f" ({len(claims)} of {total} claims shown)" if total > len(claims) else ""
            lines.append(f"**{side} by** {', '.join(sorted({_speaker(c) for c in claims}))}{shown}")
            lines.append("")
            for claim in sorted(claims, key=lambda c: (c["document"], c["quote"] or "")):
                lines.append(f"- {_speaker(claim)}, in *{_md(claim.get('title') or claim['document'])}* "
                             f"({md_code(claim['document'])}){_detail(claim)}:")
                lines.append(f"  > {_md(claim.get('quote') or '')}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _speaker(claim: dict) -> str:
    return {"author": "the author", "unnamed": "unnamed sources"}.get(claim["said_by"], claim["said_by"])


def _detail(claim: dict) -> str:
    details = [d for d in (claim.get("time"), None if claim.get("certainty") == "asserted" else claim.get("certainty"),
                           "curated" if str(claim.get("origin", "")).startswith("curated") else None,
                           claim.get("review"),
                           claim.get("source") and claim["source"] != claim.get("document")
                           and f"a copy of {claim['source']}") if d]
    return f" ({', '.join(map(_md, details))})" if details else ""


def _md(text: str) -> str:
    """Document text as Markdown that renders as the text itself."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return " ".join(printable(text).split())
