-- initial
CREATE TABLE venues (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  capacity INTEGER
) STRICT;

CREATE TABLE venue_bookings (
  id TEXT PRIMARY KEY NOT NULL,
  venue_id TEXT NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  who TEXT
) STRICT;

CREATE TABLE booking_notes (
  id TEXT PRIMARY KEY NOT NULL,
  booking_id TEXT NOT NULL REFERENCES venue_bookings (id) ON DELETE CASCADE,
  note TEXT
) STRICT;

