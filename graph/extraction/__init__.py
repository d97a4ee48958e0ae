"""Claim extraction, one module per step.

- sentences: sentences, quotations and the registry's mentions in them;
- coref: definite descriptions and titles resolved to actors named before (coref.yaml);
- rules: rules.yaml (the frame lexicon: trigger words per predicate, negation, denial,
  hedge and time expressions, surface patterns), checked against rules.schema.yaml;
- surface: patterns over the text between two mentions (titles, possessives, modifiers);
- context: one parsed sentence, its actor tokens and resolved pronouns, and its syntax;
- frames: the named constructions over a parsed sentence;
- attribution: speaker, negation, hedges and conditionals around a claim's trigger;
- denials: who rejects which claims;
- features and scorer: the learned scorer over candidate actor pairs (scorer.json);
- extractor: the pipeline (select, parse, apply the steps above, assemble claims).

Every claim records the rule that made it (e.g. "TRAINED.active", "HOSTED.noun").
"""
from .extractor import (DOCUMENTS_PER_BATCH, EXTRACTOR_NAME, EXTRACTOR_VERSION, ONE_PROCESS_BELOW, Candidate,
                        Extractor, _chunks, extract_many)
from .rules import RULES_PATH, Rules
from .sentences import Sentence, split_sentences

__all__ = ["DOCUMENTS_PER_BATCH", "EXTRACTOR_NAME", "EXTRACTOR_VERSION", "ONE_PROCESS_BELOW", "RULES_PATH",
           "Candidate", "Extractor", "Rules", "Sentence", "extract_many", "split_sentences", "_chunks"]
