-- a broken step: must roll back whole and leave v2 intact
CREATE TABLE half_done (id INTEGER);
INSERT INTO no_such_table VALUES (1);
