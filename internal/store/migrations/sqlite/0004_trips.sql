-- Trips and their itinerary items. A trip belongs to one account and goes
-- with it; version is bumped by every write to the trip or its items, so
-- it backs the ETag and the If-Match compare-and-swap. Dates are local
-- calendar dates (YYYY-MM-DD); item times are local wall-clock times
-- (YYYY-MM-DDTHH:MM) with their IANA zone, as travel documents print them.

CREATE TABLE trips (
    id                TEXT PRIMARY KEY,
    owner_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('planning', 'booked', 'in_progress', 'completed', 'cancelled')),
    starts_on         TEXT NOT NULL,
    ends_on           TEXT NOT NULL,
    destinations      TEXT NOT NULL DEFAULT '[]', -- list of place names or codes
    cover_city        TEXT NOT NULL DEFAULT '',
    party_adults      INTEGER NOT NULL DEFAULT 1,
    party_children    INTEGER NOT NULL DEFAULT 0,
    party_infants     INTEGER NOT NULL DEFAULT 0,
    budget_minor      INTEGER, -- NULL: no budget set
    currency          TEXT NOT NULL, -- ISO 4217, of the budget and the summary
    source_session_id TEXT NOT NULL DEFAULT '', -- the assistant draft it came from
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX trips_owner_idx ON trips (owner_id, updated_at);

CREATE TABLE trip_items (
    id         TEXT PRIMARY KEY,
    trip_id    TEXT NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
    day        INTEGER NOT NULL CHECK (day >= 0), -- 1-based day of the trip; 0 = unscheduled
    position   INTEGER NOT NULL, -- 1-based order within the day, renumbered on every move
    kind       TEXT NOT NULL CHECK (kind IN ('flight', 'stay', 'transport', 'restaurant', 'attraction', 'note', 'link')),
    title      TEXT NOT NULL,
    starts_at  TEXT, -- local YYYY-MM-DDTHH:MM in time_zone; NULL: no time
    ends_at    TEXT,
    time_zone  TEXT NOT NULL DEFAULT '',
    place      TEXT NOT NULL DEFAULT '',
    cost_minor INTEGER, -- NULL: no cost known
    currency   TEXT NOT NULL DEFAULT '',
    provider   TEXT NOT NULL DEFAULT '',
    offer_ref  TEXT NOT NULL DEFAULT '',
    details    TEXT NOT NULL DEFAULT '{}', -- the offer as chosen (segments, stay id, rooms, nights)
    url        TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    booking_id TEXT NOT NULL DEFAULT '', -- set when the item is booked
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX trip_items_order_idx ON trip_items (trip_id, day, position);
