// How two actors are connected through affirmed claims, shortest routes first, up to
// three hops (each hop any predicate, either direction); one row per route.
// Parameters:
//   from: an actor id (default: irgc)
//   to: another actor id (default: taliban)
//   depth: the most hops to show, 1 to 3 (default: 3)
MATCH (a:Actor {id: $from})-[r1]-(b:Actor {id: $to})
WHERE r1.polarity = 'affirms'
RETURN 1 AS hops, a.id + ' > ' + b.id AS route, count(DISTINCT r1.link_key) AS links
UNION ALL
MATCH (a:Actor {id: $from})-[r1]-(m:Actor)-[r2]-(b:Actor {id: $to})
WHERE $depth >= 2 AND r1.polarity = 'affirms' AND r2.polarity = 'affirms' AND m.id <> a.id AND m.id <> b.id
RETURN 2 AS hops, a.id + ' > ' + m.id + ' > ' + b.id AS route,
       count(DISTINCT r1.link_key) + count(DISTINCT r2.link_key) AS links
UNION ALL
MATCH (a:Actor {id: $from})-[r1]-(m:Actor)-[r2]-(n:Actor)-[r3]-(b:Actor {id: $to})
WHERE $depth >= 3 AND r1.polarity = 'affirms' AND r2.polarity = 'affirms' AND r3.polarity = 'affirms'
  AND m.id <> a.id AND m.id <> b.id AND n.id <> a.id AND n.id <> b.id AND m.id <> n.id
RETURN 3 AS hops, a.id + ' > ' + m.id + ' > ' + n.id + ' > ' + b.id AS route,
       count(DISTINCT r1.link_key) + count(DISTINCT r2.link_key) + count(DISTINCT r3.link_key) AS links
