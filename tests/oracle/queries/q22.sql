-- Nexmark q22 (get URL directories), nexmark-flink queries/q22.sql: SPLIT_INDEX is 0-based,
-- DuckDB's list indexing 1-based; out of range is NULL in both (printed as an empty field).
SELECT auction, bidder, price, channel,
       string_split(url, '/')[4] AS dir1, string_split(url, '/')[5] AS dir2,
       string_split(url, '/')[6] AS dir3
FROM bid;
