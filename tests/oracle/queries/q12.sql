-- Nexmark q12 (processing-time windows): not the query's rows (they depend on wall-clock time)
-- but what every run must add up to: the number of bids per bidder.
SELECT bidder, count(*) AS bid_count FROM bid GROUP BY bidder;
