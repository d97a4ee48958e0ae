#!/usr/bin/env python3
"""Usage: python scripts/contested_for_actor.py ACTOR_ID [--db PATH | --uri bolt://...] > contested.csv

The contested links an actor takes part in (as subject or object), one CSV row per claim:
link, polarity, speaker, document, time, quote. Uses NEO4J_URI when set, like graphctl.
"""
import argparse
import csv
import sys

from graph.analysis import contested_links
from graph.store import open_store

EVERY_CLAIM = 1_000_000  # one row per claim, not the sample `graphctl contested` shows
FIELDS = ["subject", "predicate", "object", "polarity", "said_by", "certainty", "time", "document", "title", "quote"]


def rows_for(actor_id: str, links: list[dict]):
    for link in links:
        if actor_id not in (link["subject"], link["object"]):
            continue
        for polarity, claims in (("affirms", link["affirming"]), ("denies", link["denying"])):
            for claim in claims:
                yield {"subject": link["subject"], "predicate": link["predicate"], "object": link["object"],
                       "polarity": polarity, **{k: claim.get(k) for k in FIELDS[4:]}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("actor")
    parser.add_argument("--db", help="the embedded store's file")
    parser.add_argument("--uri", help="a Neo4j server")
    parser.add_argument("--limit", type=int, default=10_000, help="contested links to look through")
    args = parser.parse_args(argv)
    with open_store(args.db, args.uri, read_only=True) as store:
        links = contested_links(store, args.limit, quotes=EVERY_CLAIM)
    writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows_for(args.actor, links))
    return 0


if __name__ == "__main__":
    sys.exit(main())
