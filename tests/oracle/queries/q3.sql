-- Nexmark q3 (local item suggestion), nexmark-flink queries/q3.sql: an inner join of two
-- append-only streams is append-only, so the final output is the whole join.
SELECT P.name, P.city, P.state, A.id
FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
