DELETE FROM bank_settings WHERE name = 'bcrypt_cost';
