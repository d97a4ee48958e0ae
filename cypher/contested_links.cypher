// Links that sources disagree on: at least one claim affirms the link and one denies it,
// from different speakers (the author of one document is not the author of another).
// One row per link, most disputed first (by speakers, then claims), with each side's count
// and up to `quotes` of its claims (speaker, quote, document). A link with more claims shows
// a sample; `link_claims` (graphctl link A B) lists them all.
// Parameters:
//   limit: the most links to return (default: 100)
//   quotes: the most claims shown per side of a link (default: 5)
MATCH (l:Link)
WHERE l.contested = true
WITH l
ORDER BY l.speakers DESC, l.claims DESC, l.key
LIMIT $limit
MATCH (c:Claim)-[:ABOUT]->(l)
WITH l, collect(CASE WHEN c.polarity = 'affirms' THEN c END)[..$quotes] +
        collect(CASE WHEN c.polarity = 'denies' THEN c END)[..$quotes] AS shown
UNWIND shown AS s
MATCH (d:Document {name: s.doc})
WITH l,
     collect(CASE WHEN s.polarity = 'affirms' THEN {said_by: s.said_by, certainty: s.certainty, time: s.time,
             quote: s.quote, document: d.name, title: d.title, origin: s.origin} END) AS affirming,
     collect(CASE WHEN s.polarity = 'denies' THEN {said_by: s.said_by, certainty: s.certainty, time: s.time,
             quote: s.quote, document: d.name, title: d.title, origin: s.origin} END) AS denying
RETURN l.subject AS subject, l.predicate AS predicate, l.object AS object,
       l.speakers AS speakers, l.affirms AS affirms, l.denies AS denies, affirming, denying
ORDER BY speakers DESC, subject, predicate, object
