//! teller: a bank teller workstation over a MySQL double-entry ledger.
//!
//! Layers, top to bottom: `cli` and `tui` (the full-screen app) -> `services` (the bank's
//! rules) -> `db` (schema and queries). `domain` holds the validated types all of them share.

pub mod bulk;
pub mod cli;
pub mod config;
pub mod day_report;
pub mod db;
pub mod domain;
pub mod export;
pub mod files;
pub mod paths;
pub mod pdf;
pub mod serve;
pub mod services;
pub mod tui;
