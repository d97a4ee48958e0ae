#!/usr/bin/env python3
"""Usage: python scripts/actor_timeline.py ACTOR_ID [--db PATH | --uri bolt://...] > timeline.csv

Every dated claim about an actor, in the order of the time it says the relation held, as CSV
(the shipped `timeline` query). Uses NEO4J_URI when set, like graphctl.
"""
import argparse
import csv
import sys

from graph.analysis import run_shipped
from graph.store import open_store


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("actor")
    parser.add_argument("--db", help="the embedded store's file")
    parser.add_argument("--uri", help="a Neo4j server")
    args = parser.parse_args(argv)
    with open_store(args.db, args.uri, read_only=True) as store:
        rows = run_shipped(store, "timeline", actor=args.actor)
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["year"])
    writer.writeheader()
    writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
