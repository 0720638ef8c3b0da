//! Where things were drawn in the last frame, for the mouse: a screen records each clickable
//! area with what it stands for while it draws (drawing only borrows the screen, hence the
//! `RefCell`), and asks which one a click fell on.

use std::cell::RefCell;

use ratatui::layout::{Position, Rect};

#[derive(Debug, Clone)]
pub struct Hits<T> {
    areas: RefCell<Vec<(Rect, T)>>,
}

impl<T> Default for Hits<T> {
    fn default() -> Self {
        Self {
            areas: RefCell::new(Vec::new()),
        }
    }
}

impl<T: Copy> Hits<T> {
    /// Forgets the last frame's areas (call before drawing them again).
    pub fn clear(&self) {
        self.areas.borrow_mut().clear();
    }

    pub fn record(&self, area: Rect, what: T) {
        self.areas.borrow_mut().push((area, what));
    }

    /// What was drawn at this cell, the last recorded on top.
    pub fn at(&self, column: u16, row: u16) -> Option<T> {
        let position = Position::new(column, row);
        self.areas
            .borrow()
            .iter()
            .rev()
            .find(|(area, _)| area.contains(position))
            .map(|(_, what)| *what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_area_drawn_wins_and_clear_forgets() {
        let hits = Hits::default();
        hits.record(Rect::new(0, 0, 10, 5), 'a');
        hits.record(Rect::new(2, 2, 2, 2), 'b');
        assert_eq!(hits.at(3, 3), Some('b'));
        assert_eq!(hits.at(0, 0), Some('a'));
        assert_eq!(hits.at(10, 0), None);
        hits.clear();
        assert_eq!(hits.at(0, 0), None);
    }
}
