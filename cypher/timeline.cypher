// Claims ordered by the time they say the relation held (claims with no time are left out),
// optionally only those about one actor.
// Parameters:
//   actor: an actor id, or "" for every actor (default: "")
MATCH (c:Claim)-[:IN_DOCUMENT]->(d:Document)
WHERE c.time IS NOT NULL AND ($actor = '' OR c.subject = $actor OR c.object = $actor)
RETURN coalesce(c.time_from, c.time_to, 9999) AS year, c.time AS time, c.subject AS subject,
       c.predicate AS predicate, c.object AS object, c.polarity AS polarity, c.said_by AS said_by,
       d.name AS document, c.quote AS quote
ORDER BY year, time, subject, predicate, object, polarity, said_by, document, quote
