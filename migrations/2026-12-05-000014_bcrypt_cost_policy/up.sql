-- The bcrypt cost of new password hashes is the bank's policy, like the approval limit: stored
-- here (owner account: `TELLER_BCRYPT_COST=… teller migrate`), read by every workstation, and no
-- longer lowered by a workstation's environment. The dummy hash checked for an unknown email
-- has the same cost, so an unknown email and a wrong password take the same time.
INSERT IGNORE INTO bank_settings (name, value, updated_at)
    VALUES ('bcrypt_cost', '12', UTC_TIMESTAMP(6));
