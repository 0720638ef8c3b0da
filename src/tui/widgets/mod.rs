//! Reusable pieces of screens.

pub mod approval;
pub mod dialog;
pub mod field;

pub use field::Field;
