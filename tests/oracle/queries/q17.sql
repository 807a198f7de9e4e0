-- Nexmark q17 (auction statistics report), nexmark-flink queries/q17.sql; the final state of
-- Flink's updating GROUP BY. AVG over BIGINT is BIGINT in Flink (sum / count, truncated).
SELECT auction, strftime(epoch_ms(dateTime), '%Y-%m-%d') AS day,
       count(*) AS total_bids,
       count(*) FILTER (WHERE price < 10000) AS rank1_bids,
       count(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
       count(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
       min(price) AS min_price, max(price) AS max_price,
       sum(price) // count(*) AS avg_price, sum(price) AS sum_price
FROM bid
GROUP BY auction, strftime(epoch_ms(dateTime), '%Y-%m-%d');
