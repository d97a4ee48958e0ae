// Links that sources disagree on: at least one claim affirms the link and one denies it,
// from different speakers (the author of one document is not the author of another).
// One row per link, most disputed first (by speakers, then claims), with each side's count
// and up to `quotes` of its claims (speaker, quote, document). A link with more claims shows
// a sample; `link_claims` (graphctl link A B) lists them all. Claims set aside in review
// (rejected, or replaced by a correction) are not shown; confirmed and corrected ones say so.
// Parameters:
//   limit: the most links to return (default: 100)
//   quotes: the most claims shown per side of a link (default: 5)
MATCH (l:Link)
WHERE l.contested = true
WITH l
ORDER BY l.speakers DESC, l.claims DESC, l.key
LIMIT $limit
MATCH (c:Claim)-[:ABOUT]->(l)
WHERE c.review IS NULL OR NOT c.review IN ['rejected', 'replaced']
MATCH (c)-[:IN_DOCUMENT]->(d:Document)
WITH l,
     collect(CASE WHEN c.polarity = 'affirms' THEN {said_by: c.said_by, certainty: c.certainty, time: c.time,
             quote: c.quote, document: d.name, title: d.title, origin: c.origin, review: c.review,
             source: c.source} END)[..$quotes] AS affirming,
     collect(CASE WHEN c.polarity = 'denies' THEN {said_by: c.said_by, certainty: c.certainty, time: c.time,
             quote: c.quote, document: d.name, title: d.title, origin: c.origin, review: c.review,
             source: c.source} END)[..$quotes] AS denying
RETURN l.subject AS subject, l.predicate AS predicate, l.object AS object,
       l.speakers AS speakers, l.affirms AS affirms, l.denies AS denies, affirming, denying
ORDER BY speakers DESC, subject, predicate, object
