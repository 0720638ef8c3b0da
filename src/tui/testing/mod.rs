//! Fixtures and a key-driven driver for the app's tests and the render benchmark: a fixed clock,
//! fixed data, and a fake bank that answers the worker's jobs at once. Not used by the app.
#![allow(clippy::missing_panics_doc)]

mod driver;
mod fake_bank;
mod fixtures;

pub use driver::{buffer_text, Driver};
pub use fake_bank::FakeBank;
pub use fixtures::{
    config, fixed_wall, number, ADMIN_EMAIL, ADMIN_PASSWORD, EMAIL, HEIGHT, NINA, OTHER_EMAIL,
    PASSWORD, TELLER_EMAIL, TELLER_PASSWORD, WIDTH,
};
