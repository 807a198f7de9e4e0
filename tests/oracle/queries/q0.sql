-- Nexmark q0 (pass-through), nexmark-flink queries/q0.sql:
--   SELECT auction, bidder, price, dateTime, extra FROM bid;
SELECT auction, bidder, price, epoch_ms(dateTime) AS dateTime, extra FROM bid;
