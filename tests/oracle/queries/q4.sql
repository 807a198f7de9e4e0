-- Nexmark q4 (average winning price per category), nexmark-flink queries/q4.sql. Flink's result
-- is an updating table; this is its final state. AVG over BIGINT is BIGINT in Flink (sum / count,
-- truncated), hence the integer division.
SELECT Q.category, sum(Q.final) // count(*) AS avg_final
FROM (
  SELECT max(B.price) AS final, A.category
  FROM auction A, bid B
  WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
  GROUP BY A.id, A.category
) Q
GROUP BY Q.category;
