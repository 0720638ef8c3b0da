ALTER TABLE drawer_sessions DROP CONSTRAINT drawer_sessions_vault_day, DROP COLUMN vault_day_id;
DROP TABLE IF EXISTS tx_guard;
DROP TABLE IF EXISTS drawer_limits;
DROP TABLE IF EXISTS business_days;
DROP TABLE IF EXISTS vault_moves;
DROP TABLE IF EXISTS vault_days;
ALTER TABLE movements DROP CONSTRAINT movements_kind_known;
ALTER TABLE movements ADD CONSTRAINT movements_kind_known
    CHECK (kind IN ('deposit', 'withdrawal', 'transfer', 'reversal', 'over_short'));
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_known;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_known
    CHECK (kind IN ('customer', 'drawer', 'over_short'));
