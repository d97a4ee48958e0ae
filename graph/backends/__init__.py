"""The two databases graphctl speaks to, behind one declared interface (base.Backend).

- embedded: LadybugDB, an embedded graph engine running Cypher in-process on a local file.
- neo4j: a Neo4j server over Bolt.

The names other modules import from `graph.backends` are re-exported here.
"""
from .base import SCHEMA, Backend, Capabilities, QueryResult, cypher_string, plain
from .embedded import EmbeddedBackend, buffer_pool_mb, min_free_bytes, repair_embedded
from .neo4j import Neo4jBackend, neo4j_settings

__all__ = ["SCHEMA", "Backend", "Capabilities", "QueryResult", "cypher_string", "plain", "EmbeddedBackend",
           "Neo4jBackend", "buffer_pool_mb", "min_free_bytes", "neo4j_settings", "repair_embedded"]
