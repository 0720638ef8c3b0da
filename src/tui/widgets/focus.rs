//! A focus ring over an enum of fields: Tab and Shift-Tab walk a form's fields in the order the
//! form declares, wrapping at both ends.
//!
//! ```ignore
//! #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
//! enum Stop { #[default] To, Amount, Memo }
//! impl Stops for Stop {
//!     const ORDER: &'static [Self] = &[Self::To, Self::Amount, Self::Memo];
//! }
//! let mut focus = FocusRing::new(Stop::To);
//! focus.next();
//! assert!(focus.is(Stop::Amount));
//! ```

/// The fields of a form, in the order the focus visits them.
pub trait Stops: Copy + PartialEq + 'static {
    /// Every field once; the focus goes from each to the next and from the last to the first.
    const ORDER: &'static [Self];
}

/// Which of a form's fields has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FocusRing<F> {
    current: F,
}

impl<F: Stops + Default> Default for FocusRing<F> {
    /// The field's default (usually the first of the order).
    fn default() -> Self {
        Self::new(F::default())
    }
}

impl<F: Stops> FocusRing<F> {
    pub fn new(current: F) -> Self {
        Self { current }
    }

    /// The focused field.
    pub fn get(&self) -> F {
        self.current
    }

    pub fn is(&self, field: F) -> bool {
        self.current == field
    }

    pub fn set(&mut self, field: F) {
        self.current = field;
    }

    /// The focus moves to the next field (after the last: the first).
    pub fn next(&mut self) {
        self.step(true);
    }

    /// The focus moves to the previous field (before the first: the last).
    pub fn prev(&mut self) {
        self.step(false);
    }

    /// `next` when `forward`, else `prev`.
    pub fn step(&mut self, forward: bool) {
        self.step_among(forward, |_| true);
    }

    /// Like `step`, over only the fields `shown` keeps (a form hides some fields at times).
    /// From a hidden field the focus moves as if from the first shown one.
    pub fn step_among(&mut self, forward: bool, shown: impl Fn(F) -> bool) {
        let stops: Vec<F> = F::ORDER.iter().copied().filter(|&f| shown(f)).collect();
        let len = stops.len();
        if len == 0 {
            return;
        }
        let at = stops.iter().position(|&f| f == self.current).unwrap_or(0);
        let to = if forward {
            (at + 1) % len
        } else {
            (at + len - 1) % len
        };
        if let Some(&field) = stops.get(to) {
            self.current = field;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    enum Stop {
        #[default]
        A,
        B,
        C,
    }

    impl Stops for Stop {
        const ORDER: &'static [Self] = &[Self::A, Self::B, Self::C];
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    enum One {
        #[default]
        Only,
    }

    impl Stops for One {
        const ORDER: &'static [Self] = &[Self::Only];
    }

    #[test]
    fn next_and_prev_follow_the_order_and_wrap() {
        let mut focus = FocusRing::<Stop>::default();
        assert!(focus.is(Stop::A));
        focus.next();
        assert!(focus.is(Stop::B));
        focus.next();
        focus.next();
        assert!(focus.is(Stop::A), "after the last comes the first");
        focus.prev();
        assert_eq!(focus.get(), Stop::C, "before the first comes the last");
        focus.step(false);
        assert_eq!(focus.get(), Stop::B);
    }

    #[test]
    fn set_moves_the_focus_anywhere() {
        let mut focus = FocusRing::new(Stop::B);
        focus.set(Stop::C);
        assert!(focus.is(Stop::C) && !focus.is(Stop::B));
        focus.next();
        assert!(focus.is(Stop::A));
    }

    #[test]
    fn hidden_fields_are_skipped() {
        let mut focus = FocusRing::new(Stop::A);
        focus.step_among(true, |f| f != Stop::B);
        assert!(focus.is(Stop::C));
        focus.step_among(false, |f| f != Stop::B);
        assert!(focus.is(Stop::A));
        // From a hidden field: as if from the first shown one.
        focus.set(Stop::B);
        focus.step_among(true, |f| f != Stop::B);
        assert!(focus.is(Stop::C));
        // Nothing shown: the focus stays.
        focus.step_among(true, |_| false);
        assert!(focus.is(Stop::C));
    }

    #[test]
    fn a_single_field_keeps_the_focus() {
        let mut focus = FocusRing::<One>::default();
        focus.next();
        focus.prev();
        assert!(focus.is(One::Only));
    }
}
