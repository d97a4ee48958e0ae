// Pairs of actors in tension: one claim affirms that they cooperated, trained, hosted or
// supported, another affirms that they opposed each other, for overlapping or unknown times.
// One row per pair, with the claims on each side. Claims set aside in review do not count.
// Parameters:
//   cooperative: the predicates of help or partnership (default: predicates.yaml)
//   opposing: the predicates of hostility (default: predicates.yaml)
MATCH (h:Claim)
WHERE h.polarity = 'affirms' AND h.predicate IN $cooperative
  AND (h.review IS NULL OR NOT h.review IN ['rejected', 'replaced'])
MATCH (o:Claim)
WHERE o.pair_key = h.pair_key AND o.polarity = 'affirms' AND o.predicate IN $opposing
  AND (o.review IS NULL OR NOT o.review IN ['rejected', 'replaced'])
  AND (h.time_from IS NULL OR o.time_to IS NULL OR h.time_from <= o.time_to)
  AND (o.time_from IS NULL OR h.time_to IS NULL OR o.time_from <= h.time_to)
WITH h.pair_key AS pair,
     collect(DISTINCT {subject: h.subject, predicate: h.predicate, object: h.object, said_by: h.said_by,
                       time: h.time, document: h.doc, quote: h.quote}) AS cooperation,
     collect(DISTINCT {subject: o.subject, object: o.object, said_by: o.said_by, time: o.time,
                       document: o.doc, quote: o.quote}) AS opposition
RETURN pair, size(cooperation) AS cooperation_claims, size(opposition) AS opposition_claims, cooperation, opposition
ORDER BY pair
