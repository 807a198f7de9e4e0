-- Nexmark q5 (hot items), nexmark-flink queries/q5.sql: HOP(bid, dateTime, 2 s slide, 10 s size).
-- A row at time t is in the windows starting at floor(t / 2000) * 2000 - k * 2000, k = 0..4
-- (all of them start after t - 10000). Times are epoch ms; window bounds stay in ms.
WITH hop AS (
  SELECT auction, (dateTime // 2000) * 2000 - k * 2000 AS starttime
  FROM bid CROSS JOIN (SELECT unnest(range(5)) AS k)
),
AuctionBids AS (
  SELECT auction, count(*) AS num, starttime, starttime + 10000 AS endtime
  FROM hop GROUP BY auction, starttime
),
MaxBids AS (
  SELECT max(num) AS maxn, starttime, endtime FROM AuctionBids GROUP BY starttime, endtime
)
SELECT AuctionBids.auction, AuctionBids.num
FROM AuctionBids JOIN MaxBids
  ON AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime
 AND AuctionBids.num >= MaxBids.maxn;
