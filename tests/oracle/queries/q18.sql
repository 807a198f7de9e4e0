-- Nexmark q18 (find last bid), nexmark-flink queries/q18.sql: per (bidder, auction) the bid with
-- the latest dateTime; on equal dateTime the later bid (insertion order), as Flink's
-- deduplication keeps the last row.
WITH b AS (SELECT *, row_number() OVER () AS seq FROM bid),
r AS (SELECT *, row_number() OVER (PARTITION BY bidder, auction ORDER BY dateTime DESC, seq DESC) AS rn FROM b)
SELECT auction, bidder, price, channel, url, epoch_ms(dateTime) AS dateTime, extra FROM r WHERE rn = 1;
