"""Claim extraction, one module per step.

- sentences: sentences, quotations and the registry's mentions in them;
- rules: rules.yaml (trigger words per predicate, negation, denial, hedge and time
  expressions, surface patterns), loaded and compiled;
- frames: one parsed sentence and the dependency rules over it;
- extractor: the pipeline (select, parse, apply the frames, attribute, assemble claims).

Every claim records the rule that made it (e.g. "TRAINED.active", "HOSTED.noun").
"""
from .extractor import (DOCUMENTS_PER_BATCH, EXTRACTOR_NAME, EXTRACTOR_VERSION, ONE_PROCESS_BELOW, Candidate,
                        Extractor, _chunks, extract_many)
from .rules import RULES_PATH, Rules
from .sentences import Sentence, split_sentences

__all__ = ["DOCUMENTS_PER_BATCH", "EXTRACTOR_NAME", "EXTRACTOR_VERSION", "ONE_PROCESS_BELOW", "RULES_PATH",
           "Candidate", "Extractor", "Rules", "Sentence", "extract_many", "split_sentences", "_chunks"]
