ALTER TABLE drawer_sessions
    ADD UNIQUE KEY drawer_sessions_one_open (teller_id, open_marker),
    DROP INDEX drawer_sessions_one_open_per_currency;
