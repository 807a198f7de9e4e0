-- Nexmark q8 (monitor new users), nexmark-flink queries/q8.sql: persons and auction sellers
-- grouped per TUMBLE(10 s) window, joined on id = seller within the same window. stime (the
-- window start) is epoch ms.
SELECT P.id, P.name, epoch_ms(P.starttime) AS stime
FROM (
  SELECT id, name, (dateTime // 10000) * 10000 AS starttime
  FROM person GROUP BY id, name, (dateTime // 10000) * 10000
) P
JOIN (
  SELECT seller, (dateTime // 10000) * 10000 AS starttime
  FROM auction GROUP BY seller, (dateTime // 10000) * 10000
) A
ON P.id = A.seller AND P.starttime = A.starttime;
