-- A teller who exchanges money holds cash in several currencies: one open drawer session per
-- teller and currency (each with its own float, counted and closed blind on its own), not one
-- per teller.
ALTER TABLE drawer_sessions
    ADD UNIQUE KEY drawer_sessions_one_open_per_currency (teller_id, currency, open_marker),
    DROP INDEX drawer_sessions_one_open;
