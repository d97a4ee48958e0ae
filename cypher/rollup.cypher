// Claims about units, counted for the actors they belong to through the registry's
// structure (quds-force -> irgc -> iran): shown as rolled up, with the unit they come from,
// never mixed into the parent's own claims.
// Parameters:
//   actor: the parent to roll up to, or "" for every parent (default: "")
MATCH (unit:Actor)-[:UNIT_OF*1..5]->(parent:Actor)
WHERE $actor = '' OR parent.id = $actor
MATCH (c:Claim)-[:SUBJECT]->(unit)
RETURN parent.id AS rolled_up_to, unit.id AS from_unit, 'subject' AS role, c.predicate AS predicate,
       c.object AS other, c.polarity AS polarity, count(c) AS claims
ORDER BY rolled_up_to, from_unit, predicate, other, polarity
UNION ALL
MATCH (unit:Actor)-[:UNIT_OF*1..5]->(parent:Actor)
WHERE $actor = '' OR parent.id = $actor
MATCH (c:Claim)-[:OBJECT]->(unit)
RETURN parent.id AS rolled_up_to, unit.id AS from_unit, 'object' AS role, c.predicate AS predicate,
       c.subject AS other, c.polarity AS polarity, count(c) AS claims
ORDER BY rolled_up_to, from_unit, predicate, other, polarity
