// Every claim about a pair of actors, in both directions: predicate, polarity, speaker,
// certainty, time, document and quote, and the analyst's review (rejected ones too, for audit).
// Parameters:
//   a: an actor id (default: iran)
//   b: another actor id (default: al-qaeda)
MATCH (c:Claim)-[:IN_DOCUMENT]->(d:Document)
WHERE (c.subject = $a AND c.object = $b) OR (c.subject = $b AND c.object = $a)
RETURN c.subject AS subject, c.predicate AS predicate, c.object AS object, c.polarity AS polarity,
       c.said_by AS said_by, c.certainty AS certainty, c.time AS time, d.name AS document,
       d.title AS title, c.quote AS quote, c.origin AS origin, c.review AS review,
       c.review_note AS review_note, c.id AS id
ORDER BY predicate, subject, polarity, said_by, document, quote
