// Formal designations and sanctions (DESIGNATED claims), kept apart from media claims:
// `official` is true when the designating actor itself is the speaker (not a report about it).
// Parameters: none
MATCH (c:Claim)-[:IN_DOCUMENT]->(d:Document)
WHERE c.predicate = 'DESIGNATED'
MATCH (by_actor:Actor {id: c.subject})
MATCH (target_actor:Actor {id: c.object})
RETURN by_actor.name AS designator, by_actor.kind AS designator_kind, target_actor.name AS target,
       c.polarity AS polarity, c.said_by AS said_by, c.said_by = c.subject AS official, c.time AS time,
       d.name AS document, c.quote AS quote
ORDER BY designator, target, document, quote
