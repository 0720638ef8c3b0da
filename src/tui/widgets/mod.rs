//! Reusable pieces of screens.

pub mod field;

pub use field::Field;
