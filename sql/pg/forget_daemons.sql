-- Rows gone (stale) for longer than $2 ms at $1: a host taken out of
-- service is not listed by `renderq daemons --all` forever.
DELETE FROM daemons WHERE seen_ms + stale_after_ms + $2 < $1;
