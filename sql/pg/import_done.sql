-- After an import: new ids continue after the highest imported one.
SELECT setval(pg_get_serial_sequence('jobs', 'id'), (SELECT max(id) FROM jobs)) AS last;
