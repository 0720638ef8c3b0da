//! Styles. Only the terminal's own foreground colours plus modifiers, never a fixed background,
//! so the app reads on dark and light terminals alike; focus, selection and errors also carry a
//! marker character, so they show without colour too.

use ratatui::style::{Color, Modifier, Style};

/// Markers that make state visible without colour.
pub const FOCUS_MARKER: &str = "▶ ";
pub const NO_MARKER: &str = "  ";
pub const ERROR_MARKER: &str = "✗ ";
pub const OK_MARKER: &str = "✓ ";
pub const INFO_MARKER: &str = "• ";
pub const SELECTED_MARKER: &str = "▶ ";
pub const MASK: char = '•';
pub const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

#[derive(Debug, Clone)]
pub struct Theme {
    pub base: Style,
    pub header: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub title: Style,
    pub label: Style,
    pub label_focused: Style,
    pub input: Style,
    pub input_focused: Style,
    pub hint: Style,
    pub error: Style,
    pub success: Style,
    pub selected: Style,
    pub table_header: Style,
    pub key: Style,
    pub dim: Style,
    pub border: Style,
    pub border_focused: Style,
    pub warning: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            base: Style::new(),
            header: Style::new().add_modifier(Modifier::REVERSED),
            tab: Style::new(),
            tab_active: Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            title: Style::new().add_modifier(Modifier::BOLD),
            label: Style::new(),
            label_focused: Style::new().add_modifier(Modifier::BOLD),
            input: Style::new().add_modifier(Modifier::UNDERLINED),
            input_focused: Style::new()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            hint: Style::new().add_modifier(Modifier::ITALIC),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            success: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            table_header: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            key: Style::new().add_modifier(Modifier::BOLD),
            dim: Style::new().add_modifier(Modifier::DIM),
            border: Style::new(),
            border_focused: Style::new().add_modifier(Modifier::BOLD),
            warning: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }
}
