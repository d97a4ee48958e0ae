"""A link's state, computed from its claims: the one definition in Python.

A link is one (subject, predicate, object) (model.link_key). `claims` counts every claim
about it; the rest count only the claims in force (model.counts: not set aside in review),
speakers by model.speaker_key and copies of one story (graph/sources.py) as one document:

- contested: an affirming and a denying claim from different speakers (the claims guide's
  rule). With both polarities present, that holds exactly when there are two speakers or more;
- tentative: claims in force, none of them asserted (all hedged or speculative).

The store keeps the same state on its Link nodes with its own Cypher (store._REFRESH_LINKS),
the one other definition; tests/test_links.py checks that the two agree on both stores.
Everything else (the import files, the views, evaluation) counts here.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from .model import Claim, counts, link_parts

# What a link shows in the views: affirmed or denied only; contested; mixed (both
# polarities, from one speaker only).
STATES = ("affirmed", "denied", "contested", "mixed")


class LinkTally:
    """One link's counts, claim by claim: only the counts and the sets of speakers and
    documents are kept, so millions of claims can stream through (graph/bulk.py)."""

    __slots__ = ("claims", "in_force", "affirms", "denies", "asserted", "_speakers", "_documents")

    def __init__(self):
        self.claims = self.in_force = self.affirms = self.denies = self.asserted = 0
        self._speakers: set[str] = set()
        self._documents: set[str] = set()

    def add(self, *, polarity: str, certainty: str, speaker: str, document: str, review: str | None):
        self.claims += 1
        if not counts(review):
            return
        self.in_force += 1
        self.affirms += polarity == "affirms"
        self.denies += polarity == "denies"
        self.asserted += certainty == "asserted"
        self._speakers.add(speaker)
        self._documents.add(document)

    def add_claim(self, claim: Claim):
        self.add(polarity=claim.polarity, certainty=claim.certainty, speaker=claim.speaker_key,
                 document=claim.source_document, review=claim.review)

    def add_row(self, row: Mapping):
        """A claim as the store returns it (graph/views.py): its stored speaker_key and source."""
        self.add(polarity=row["polarity"], certainty=row["certainty"], speaker=row["speaker_key"],
                 document=row.get("source") or row["doc"], review=row.get("review"))

    @property
    def speakers(self) -> int:
        return len(self._speakers)

    @property
    def documents(self) -> int:
        return len(self._documents)

    @property
    def contested(self) -> bool:
        return self.affirms > 0 and self.denies > 0 and self.speakers > 1

    @property
    def tentative(self) -> bool:
        return self.in_force > 0 and self.asserted == 0

    @property
    def state(self) -> str:
        if not self.denies:
            return "affirmed"
        if not self.affirms:
            return "denied"
        return "contested" if self.contested else "mixed"

    def counts(self) -> dict:
        """The counts and flags a Link node stores (schema.yaml's Link, less its key and ends)."""
        return {"claims": self.claims, "affirms": self.affirms, "denies": self.denies, "speakers": self.speakers,
                "documents": self.documents, "contested": self.contested, "tentative": self.tentative}

    def link_row(self, key: str) -> dict:
        """The whole Link node of this key."""
        return dict(zip(("subject", "predicate", "object"), link_parts(key)), key=key, **self.counts())


def tally_claims(claims: Iterable[Claim]) -> dict[str, LinkTally]:
    """Each link's tally, by link key."""
    tallies: dict[str, LinkTally] = {}
    for claim in claims:
        tallies.setdefault(claim.link_key, LinkTally()).add_claim(claim)
    return tallies


def tally_rows(rows: Iterable[Mapping]) -> LinkTally:
    """One link's tally from its claims as the store returns them."""
    tally = LinkTally()
    for row in rows:
        tally.add_row(row)
    return tally


def contested_link_keys(claims: Iterable[Claim]) -> set[str]:
    """The keys of the contested links among these claims' links."""
    return {key for key, tally in tally_claims(claims).items() if tally.contested}
