-- 0001_retire_child_of_rebuilt_parent.sql: written by `eventuall generate webapp retire_child_of_rebuilt_parent` from the C++ schema,
-- diffed against meta/0000_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).
-- warning: drops table venue_bookings and all its rows

-- rebuild of booking_notes: column booking_id: becomes nullable, loses REFERENCES venue_bookings
CREATE TABLE __new_booking_notes (
  id TEXT PRIMARY KEY NOT NULL,
  booking_id TEXT,
  note TEXT
) STRICT;
-- copy the rows of booking_notes
INSERT INTO __new_booking_notes (id, booking_id, note) SELECT id, booking_id, note FROM booking_notes;
-- no kept table references booking_notes (dropped tables that did are gone by now), so dropping it deletes no other rows
DROP TABLE booking_notes;
-- the copy takes the table's name
ALTER TABLE __new_booking_notes RENAME TO booking_notes;
-- table venue_bookings is no longer declared (its rows are lost)
DROP TABLE venue_bookings;
-- rebuild of venues: column capacity: type INTEGER -> REAL
CREATE TABLE __new_venues (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  capacity REAL
) STRICT;
-- copy the rows of venues
INSERT INTO __new_venues (id, name, capacity) SELECT id, name, capacity FROM venues;
-- no kept table references venues (dropped tables that did are gone by now), so dropping it deletes no other rows
DROP TABLE venues;
-- the copy takes the table's name
ALTER TABLE __new_venues RENAME TO venues;
