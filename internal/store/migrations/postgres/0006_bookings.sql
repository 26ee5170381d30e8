-- Bookings and the catalog provider's counted inventory. A booking has no
-- foreign key to its owner or trip: financial records outlive accounts and
-- trips (erasure anonymises them instead).

CREATE TABLE bookings (
    id                TEXT PRIMARY KEY,
    owner_id          TEXT NOT NULL,
    idempotency_key   TEXT NOT NULL,
    request_hash      TEXT NOT NULL, -- a reused key with a different request is refused
    trip_id           TEXT NOT NULL DEFAULT '',
    item_id           TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL CHECK (kind IN ('flight', 'stay', 'attraction')),
    provider          TEXT NOT NULL,
    offer_ref         TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'failed', 'cancelled')),
    title             TEXT NOT NULL DEFAULT '',
    starts_on         TEXT NOT NULL, -- first local date of service, YYYY-MM-DD
    ends_on           TEXT NOT NULL,
    quantity          INTEGER NOT NULL, -- rooms, seats or tickets
    travelers         JSONB NOT NULL DEFAULT '[]'::jsonb, -- list of traveler ids
    total_minor       BIGINT NOT NULL,
    currency          TEXT NOT NULL,
    refund_minor      BIGINT, -- set on cancellation
    free_cancel_until TIMESTAMPTZ, -- NULL: not refundable
    cancel_fee_minor  BIGINT NOT NULL DEFAULT 0, -- kept when cancelled after free_cancel_until
    provider_ref      TEXT NOT NULL DEFAULT '',
    confirmation_code TEXT NOT NULL DEFAULT '',
    failure           TEXT NOT NULL DEFAULT '',
    details           JSONB NOT NULL DEFAULT '{}'::jsonb, -- the offer as booked (segments, nights, rooms)
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    confirmed_at      TIMESTAMPTZ,
    cancelled_at      TIMESTAMPTZ,
    CONSTRAINT bookings_owner_key UNIQUE (owner_id, idempotency_key)
);
CREATE INDEX bookings_owner_idx ON bookings (owner_id, created_at, id);
CREATE INDEX bookings_trip_idx ON bookings (trip_id);
CREATE INDEX bookings_pending_idx ON bookings (state, updated_at) WHERE state = 'pending';

-- Units of a resource for one local day: a stay's units for a night, a
-- flight's seats in a cabin on a departure date, an attraction's tickets.
-- Rows are created at the first booking with the catalog's capacity; the
-- CHECK is the last line against overselling.
CREATE TABLE inventory (
    resource   TEXT NOT NULL, -- stay:ID, flight:ID:CABIN, attraction:ID
    day        TEXT NOT NULL,
    capacity   INTEGER NOT NULL,
    sold       INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (resource, day),
    CHECK (sold >= 0 AND sold <= capacity)
);

-- What each booking holds, so cancelling releases exactly that.
CREATE TABLE booking_holds (
    booking_id TEXT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    resource   TEXT NOT NULL,
    day        TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (booking_id, resource, day)
);
