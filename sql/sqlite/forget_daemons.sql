-- Rows gone (stale) for longer than :forget_ms: a host taken out of service
-- is not listed by `renderq daemons --all` forever.
DELETE FROM daemons WHERE seen_ms + stale_after_ms + :forget_ms < :now;
