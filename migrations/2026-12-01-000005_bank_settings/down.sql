DROP TABLE IF EXISTS bank_settings;
