//! Reusable pieces of screens.

pub mod approval;
pub mod balance_chart;
pub mod dialog;
pub mod field;
pub mod focus;
pub mod hits;
pub mod id_form;
pub mod money_form;
pub mod password_pair;
pub mod profile_form;
pub mod requests;
pub mod trend;

pub use field::Field;
