// For each pair of sources, how many links both speak about, how many they agree on
// (a claim of the same polarity on each side) and how many they disagree on (opposite polarities).
// Parameters:
//   by: "document" to compare documents, "speaker" to compare speakers (default: document)
MATCH (c1:Claim)-[:ABOUT]->(l:Link)<-[:ABOUT]-(c2:Claim)
WITH l, c1, c2,
     CASE WHEN $by = 'speaker' THEN c1.speaker_key ELSE c1.doc END AS source_a,
     CASE WHEN $by = 'speaker' THEN c2.speaker_key ELSE c2.doc END AS source_b
WHERE source_a < source_b
WITH source_a, source_b, l.key AS link,
     sum(CASE WHEN c1.polarity = c2.polarity THEN 1 ELSE 0 END) AS same,
     sum(CASE WHEN c1.polarity <> c2.polarity THEN 1 ELSE 0 END) AS opposite
RETURN source_a, source_b, count(link) AS shared_links,
       sum(CASE WHEN same > 0 THEN 1 ELSE 0 END) AS agree,
       sum(CASE WHEN opposite > 0 THEN 1 ELSE 0 END) AS disagree
ORDER BY disagree DESC, shared_links DESC, source_a, source_b
