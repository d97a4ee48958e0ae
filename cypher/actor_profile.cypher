// An actor's claims, out (it is the subject) and in (it is the object), counted by
// predicate, other actor and polarity, with how many speakers and documents say so.
// Parameters:
//   actor: an actor id (default: iran)
MATCH (:Actor {id: $actor})<-[:SUBJECT]-(c:Claim)
RETURN 'out' AS direction, c.predicate AS predicate, c.object AS other, c.polarity AS polarity,
       count(c) AS claims, count(DISTINCT c.speaker_key) AS speakers, count(DISTINCT c.doc) AS documents
ORDER BY predicate, other, polarity
UNION ALL
MATCH (:Actor {id: $actor})<-[:OBJECT]-(c:Claim)
RETURN 'in' AS direction, c.predicate AS predicate, c.subject AS other, c.polarity AS polarity,
       count(c) AS claims, count(DISTINCT c.speaker_key) AS speakers, count(DISTINCT c.doc) AS documents
ORDER BY predicate, other, polarity
