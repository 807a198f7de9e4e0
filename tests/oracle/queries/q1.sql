-- Nexmark q1 (currency conversion), nexmark-flink queries/q1.sql:
--   SELECT auction, bidder, 0.908 * price as price, dateTime, extra FROM bid;
-- Flink types 0.908 as DECIMAL; dfc's expression language types it DOUBLE, so the oracle multiplies
-- the same IEEE double (identical bits to the job's `0.908 * price`).
SELECT auction, bidder, 0.908::DOUBLE * price AS price, epoch_ms(dateTime) AS dateTime, extra FROM bid;
