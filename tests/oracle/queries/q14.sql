-- Nexmark q14 (calculation), nexmark-flink queries/q14.sql. 0.908 is a DOUBLE as in the dfc job
-- (Flink: DECIMAL); count_char(extra, 'c') = occurrences of 'c'; HOUR of the UTC timestamp.
SELECT auction, bidder, 0.908::DOUBLE * price AS price,
       CASE WHEN hour(epoch_ms(dateTime)) >= 8 AND hour(epoch_ms(dateTime)) <= 18 THEN 'dayTime'
            WHEN hour(epoch_ms(dateTime)) <= 6 OR hour(epoch_ms(dateTime)) >= 20 THEN 'nightTime'
            ELSE 'otherTime' END AS bidTimeType,
       epoch_ms(dateTime) AS dateTime, extra,
       length(extra) - length(replace(extra, 'c', '')) AS c_counts
FROM bid
WHERE 0.908::DOUBLE * price > 1000000 AND 0.908::DOUBLE * price < 50000000;
