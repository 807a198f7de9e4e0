-- Nexmark q7 (highest bid), nexmark-flink queries/q7.sql: the max price per TUMBLE(10 s) window,
-- joined back to the bids with that price and dateTime in [window_end - 10 s, window_end]
-- (BETWEEN is inclusive: a bid exactly at window_end also matches). A regular join of append-only
-- inputs: the final output is the whole join.
SELECT B.auction, B.bidder, B.price, epoch_ms(B.dateTime) AS dateTime, B.extra
FROM bid B
JOIN (
  SELECT max(price) AS maxprice, (dateTime // 10000) * 10000 + 10000 AS dateTime
  FROM bid GROUP BY (dateTime // 10000)
) B1
ON B.price = B1.maxprice
WHERE B.dateTime BETWEEN B1.dateTime - 10000 AND B1.dateTime;
