"""graphctl: a graph of political and militant actors and the sourced claims documents make about them.

    from graph import Registry, open_store, load
    registry = Registry.from_yaml("seeds/actors.yaml")
    with open_store() as store:
        summary = load(store, ["seeds/"], registry=registry)
        print(store.query("MATCH (l:Link) WHERE l.contested = true RETURN l.key").rows)
"""
from .actors import Registry
from .model import Actor, Claim, Document, Source
from .pipeline import load
from .store import Store, open_store

__all__ = ["Actor", "Claim", "Document", "Registry", "Source", "Store", "load", "open_store"]
