-- Wakes idle daemons (they LISTEN on renderq_wake); delivered at commit.
SELECT pg_notify('renderq_wake', '');
