-- Nexmark q19 (auction TOP-10 price), nexmark-flink queries/q19.sql: per auction the 10 bids with
-- the highest price and their rank. Flink's result is an updating table; this is its final
-- state. Equal prices rank by earlier dateTime (dfc's sample; Flink: arrival order).
SELECT auction, bidder, price, channel, url, epoch_ms(dateTime) AS dateTime, extra, rank_number
FROM (SELECT *, row_number() OVER (PARTITION BY auction ORDER BY price DESC, dateTime ASC) AS rank_number FROM bid)
WHERE rank_number <= 10;
