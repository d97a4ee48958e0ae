"""A STIX 2.1 bundle of the graph, for OpenCTI and other threat-intelligence platforms (stix2).

- Actors, by kind: an armed group is a `threat-actor` (with `aliases`); a state, government
  body, organisation, population group or person is an `identity` (identity_class
  organization, group or individual; aliases in `x_opencti_aliases`, OpenCTI's property for
  them). `intrusion-set` is not used: it describes a set of adversarial behaviour and
  resources (a cyber campaign's), not an organisation that trains, hosts or fights.
- Each claim in force is its own `relationship` (type: the predicate in lower case, hyphened:
  `trained`, `cooperated-with`, ...), from subject to object, with its source document as
  external reference, its quote in the description, and `x_graphctl_*` properties: polarity,
  said_by, certainty, when, review, the claim id and its link's state.
- A denial is never turned into an affirmation: its relationship is labelled `denied`, its
  description starts with "Denied", and an `opinion` (strongly-disagree, authored by the
  speaker) points at it, so a platform that ignores custom properties still shows that the
  source says the relation did not hold. Relationships of a contested link are labelled
  `contested`, and the link gets a `note` naming who affirms and who denies.

Ids are uuid5 of graphctl's own keys: exporting the same claims again gives the same ids.
"""
from __future__ import annotations

import json
import uuid
from collections import defaultdict

from .model import AUTHOR, UNNAMED

NAMESPACE = uuid.UUID("6b1b1f52-5b0e-4d43-9c8e-3f7f2c6b9a11")  # graphctl's, for uuid5 ids
EXTENSION = "extension-definition--0c1b6e55-7a1c-4f8e-9a57-d0a1b3c2e4f6"
EXTENDED = {EXTENSION: {"extension_type": "toplevel-property-extension"}}
EPOCH = "2020-01-01T00:00:00.000Z"
CLAIM_PROPERTIES = ("x_graphctl_claim_id", "x_graphctl_polarity", "x_graphctl_said_by", "x_graphctl_certainty",
                    "x_graphctl_when", "x_graphctl_quote", "x_graphctl_document", "x_graphctl_review",
                    "x_graphctl_link_state", "x_graphctl_source")
ACTOR_PROPERTIES = ("x_graphctl_actor", "x_graphctl_kind")  # created/modified of every object: the export is a view, not an edit
IDENTITY_CLASS = {"state": "organization", "government_body": "organization", "organization": "organization",
                  "group": "group", "person": "individual"}
SECTORS = {"state": ["government-national"], "government_body": ["government-national"]}


def producer():
    """graphctl as the identity that defines its extension."""
    import stix2

    return stix2.Identity(id=stix_id("identity", "graphctl"), name="graphctl", identity_class="system",
                          created=EPOCH, modified=EPOCH)


def extension_definition():
    """The STIX 2.1 way to carry graphctl's own top-level properties (x_graphctl_*, and OpenCTI's
    x_opencti_aliases on identities)."""
    import stix2

    return stix2.ExtensionDefinition(
        id=EXTENSION, created_by_ref=stix_id("identity", "graphctl"), name="graphctl claims", version="1.0",
        extension_types=["toplevel-property-extension"], created=EPOCH, modified=EPOCH,
        description="A claim's polarity, speaker, certainty, time, quote, document and review; an actor's graphctl id.",
        extension_properties=[*CLAIM_PROPERTIES, *ACTOR_PROPERTIES, "x_opencti_aliases"],
        schema=(f"{', '.join(CLAIM_PROPERTIES)} on relationships (x_graphctl_polarity: affirms or denies); "
                f"{', '.join(ACTOR_PROPERTIES)} on actors: see graphctl's README (STIX export) and claims guide."))


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def relationship_type(predicate: str) -> str:
    return predicate.lower().replace("_", "-")


def actor_object(actor: dict):
    import stix2

    aliases = [a for a in (actor.get("aliases") or []) if a and a != actor.get("name")]
    common = dict(name=actor.get("name") or actor["id"], created=EPOCH, modified=EPOCH,
                  allow_custom=True, extensions=EXTENDED, x_graphctl_actor=actor["id"],
                  x_graphctl_kind=actor.get("kind"))
    if actor.get("kind") == "armed_group":
        return stix2.ThreatActor(id=stix_id("threat-actor", actor["id"]), aliases=aliases or None, **common)
    return stix2.Identity(id=stix_id("identity", actor["id"]), identity_class=IDENTITY_CLASS.get(actor.get("kind"),
                          "unknown"), sectors=SECTORS.get(actor.get("kind")), x_opencti_aliases=aliases or None,
                          **common)


def _years(claim: dict) -> dict:
    start, stop = claim.get("time_from"), claim.get("time_to")
    times = {}
    if start is not None:
        times["start_time"] = f"{start}-01-01T00:00:00Z"
    if stop is not None and (start is None or stop >= start):
        times["stop_time"] = f"{stop}-12-31T23:59:59Z"
    return times


def _speaker(claim: dict, actors: dict) -> str:
    if claim["said_by"] == AUTHOR:
        return f"the author of {claim['doc']}"
    if claim["said_by"] == UNNAMED:
        return f"unnamed sources in {claim['doc']}"
    return (actors.get(claim["said_by"]) or {}).get("name") or claim["said_by"]


def claim_objects(claim: dict, link, refs: dict, actors: dict) -> list:
    """The relationship a claim becomes, and for a denial the speaker's opinion on it."""
    import stix2

    denied = claim["polarity"] == "denies"
    speaker = _speaker(claim, actors)
    verb = relationship_type(claim["predicate"]).replace("-", " ")
    subject, obj = (actors.get(c) or {"name": c} for c in (claim["subject"], claim["object"]))
    sentence = (f"{'Denied' if denied else 'Affirmed'} by {speaker}: {subject.get('name')} {'did not ' if denied else ''}"
                f"{verb} {obj.get('name')}" + (f" ({claim['time']})" if claim.get("time") else "")
                + (f", {claim['certainty']}" if claim.get("certainty") not in (None, "asserted") else ""))
    reference = {"source_name": claim.get("outlet") or "graphctl document", "external_id": claim["doc"],
                 "description": claim.get("title") or claim["doc"]}
    if claim.get("url"):
        reference["url"] = claim["url"]
    labels = ["denied" if denied else "affirmed"] + (["contested"] if link.state == "contested" else [])
    relationship = stix2.Relationship(
        id=stix_id("relationship", claim["id"]), relationship_type=relationship_type(claim["predicate"]),
        source_ref=refs[claim["subject"]], target_ref=refs[claim["object"]], created=EPOCH, modified=EPOCH,
        description=f"{sentence}. Quote: “{claim.get('quote') or ''}”", labels=labels,
        external_references=[reference], allow_custom=True, extensions=EXTENDED, **_years(claim),
        x_graphctl_claim_id=claim["id"], x_graphctl_polarity=claim["polarity"], x_graphctl_said_by=claim["said_by"],
        x_graphctl_certainty=claim.get("certainty"), x_graphctl_when=claim.get("time"),
        x_graphctl_quote=claim.get("quote"), x_graphctl_document=claim["doc"], x_graphctl_review=claim.get("review"),
        x_graphctl_link_state=link.state, x_graphctl_source=claim.get("source"))
    objects = [relationship]
    if denied:
        objects.append(stix2.Opinion(
            id=stix_id("opinion", claim["id"]), opinion="strongly-disagree", object_refs=[relationship.id],
            authors=[speaker], explanation=f"{sentence}. Quote: “{claim.get('quote') or ''}”",
            created=EPOCH, modified=EPOCH))
    return objects


def contested_note(link, relationships: list[str], actors: dict):
    import stix2

    sides = defaultdict(set)
    for claim in link.in_force:
        sides[claim["polarity"]].add(_speaker(claim, actors))
    return stix2.Note(
        id=stix_id("note", link.key), abstract=f"Contested: {link.subject} {link.predicate} {link.object}",
        content=(f"Sources disagree on {link.subject} {link.predicate} {link.object}. Affirmed by "
                 f"{', '.join(sorted(sides['affirms']))}; denied by {', '.join(sorted(sides['denies']))}."),
        object_refs=relationships, created=EPOCH, modified=EPOCH)


def bundle(view) -> "stix2.Bundle":
    """The view's actors and claims in force (views.build_view) as one STIX 2.1 bundle."""
    import stix2

    actors = view.actors
    used = sorted({end for link in view.links for end in (link.subject, link.object)})
    actor_objects = {actor_id: actor_object(view.actor(actor_id)) for actor_id in used}
    refs = {actor_id: obj.id for actor_id, obj in actor_objects.items()}
    objects = [producer(), extension_definition(), *actor_objects.values()]
    for link in view.links:
        ids = []
        for claim in link.in_force:
            made = claim_objects(claim, link, refs, actors)
            ids.append(made[0].id)
            objects += made
        if link.state == "contested":
            objects.append(contested_note(link, ids, actors))
    key = ",".join(sorted(obj.id for obj in objects))
    return stix2.Bundle(objects=objects, id=stix_id("bundle", key), allow_custom=True)


def serialize(view) -> str:
    return json.dumps(json.loads(bundle(view).serialize()), ensure_ascii=False, indent=2) + "\n"
