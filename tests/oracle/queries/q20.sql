-- Nexmark q20 (expand bid with auction), nexmark-flink queries/q20.sql: an inner join of two
-- append-only streams is append-only, so the final output is the whole join.
SELECT auction, bidder, price, channel, url, epoch_ms(B.dateTime) AS dateTime, B.extra,
       itemName, description, initialBid, reserve, epoch_ms(A.dateTime) AS dateTime0,
       epoch_ms(expires) AS expires, seller, category, A.extra AS extra0
FROM bid AS B INNER JOIN auction AS A ON B.auction = A.id
WHERE A.category = 10;
