-- Nexmark q2 (selection), nexmark-flink queries/q2.sql:
--   SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;
SELECT auction, price FROM bid WHERE auction % 123 = 0;
