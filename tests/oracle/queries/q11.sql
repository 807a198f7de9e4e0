-- Nexmark q11 (user sessions), nexmark-flink queries/q11.sql: SESSION(dateTime, 10 s) per bidder.
-- Flink merges session windows [t, t + 10 s) that overlap or touch, so a bid starts a new session
-- iff it comes more than 10 s after the previous bid of its bidder; a session ends 10 s after its
-- last bid.
WITH marked AS (
  SELECT bidder, dateTime,
         CASE WHEN dateTime - lag(dateTime) OVER (PARTITION BY bidder ORDER BY dateTime) <= 10000
              THEN 0 ELSE 1 END AS new_session
  FROM bid
), numbered AS (
  SELECT bidder, dateTime, sum(new_session) OVER (PARTITION BY bidder ORDER BY dateTime
                                                  ROWS UNBOUNDED PRECEDING) AS session
  FROM marked
)
SELECT bidder, count(*) AS bid_count, epoch_ms(min(dateTime)) AS starttime,
       epoch_ms(max(dateTime) + 10000) AS endtime
FROM numbered GROUP BY bidder, session;
