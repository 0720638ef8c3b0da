//! Styles. Only the terminal's own foreground colours plus modifiers, never a fixed background,
//! so the app reads on dark and light terminals alike; focus, selection and errors also carry a
//! marker character, so they show without colour too.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

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

/// The themes a person or a bank may choose (`theme` in the configuration, `TELLER_THEME`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeName {
    #[default]
    Default,
    /// Bright colours, bold text and heavy borders for weak eyes and washed-out screens.
    HighContrast,
}

impl std::str::FromStr for ThemeName {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw.trim() {
            "default" => Ok(Self::Default),
            "high-contrast" => Ok(Self::HighContrast),
            other => Err(format!(
                "TELLER_THEME must be default or high-contrast, not {other:?}"
            )),
        }
    }
}

impl Theme {
    pub fn named(name: ThemeName) -> Self {
        match name {
            ThemeName::Default => Self::default(),
            ThemeName::HighContrast => Self::high_contrast(),
        }
    }

    fn high_contrast() -> Self {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Self {
            base: Style::new(),
            header: bold.add_modifier(Modifier::REVERSED),
            tab: bold,
            tab_active: bold.add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
            title: bold.fg(Color::LightYellow),
            label: bold,
            label_focused: bold.add_modifier(Modifier::REVERSED),
            input: Style::new().add_modifier(Modifier::UNDERLINED),
            input_focused: bold
                .fg(Color::LightCyan)
                .add_modifier(Modifier::UNDERLINED | Modifier::REVERSED),
            hint: bold,
            error: bold.fg(Color::LightRed).add_modifier(Modifier::REVERSED),
            success: bold.fg(Color::LightGreen),
            selected: bold.add_modifier(Modifier::REVERSED),
            table_header: bold.add_modifier(Modifier::UNDERLINED),
            key: bold.fg(Color::LightYellow),
            // Nothing is dimmed: dim text is what washes out first.
            dim: Style::new(),
            border: bold,
            border_focused: bold.fg(Color::LightCyan),
            warning: bold.fg(Color::LightYellow).add_modifier(Modifier::REVERSED),
        }
    }

    /// The same theme without any colour, for `NO_COLOR` (<https://no-color.org>): focus,
    /// errors and selection still show through markers, bold and reverse video.
    pub fn without_colour(self) -> Self {
        let plain = |mut style: Style| {
            style.fg = None;
            style.bg = None;
            style
        };
        Self {
            base: plain(self.base),
            header: plain(self.header),
            tab: plain(self.tab),
            tab_active: plain(self.tab_active),
            title: plain(self.title),
            label: plain(self.label),
            label_focused: plain(self.label_focused),
            input: plain(self.input),
            input_focused: plain(self.input_focused),
            hint: plain(self.hint),
            error: plain(self.error),
            success: plain(self.success),
            selected: plain(self.selected),
            table_header: plain(self.table_header),
            key: plain(self.key),
            dim: plain(self.dim),
            border: plain(self.border),
            border_focused: plain(self.border_focused),
            warning: plain(self.warning),
        }
    }

    /// Every style, for checks that must hold for all of them.
    pub fn styles(&self) -> [Style; 19] {
        [
            self.base,
            self.header,
            self.tab,
            self.tab_active,
            self.title,
            self.label,
            self.label_focused,
            self.input,
            self.input_focused,
            self.hint,
            self.error,
            self.success,
            self.selected,
            self.table_header,
            self.key,
            self.dim,
            self.border,
            self.border_focused,
            self.warning,
        ]
    }
}

/// `NO_COLOR` set to anything but the empty string asks for no colour.
pub fn no_colour_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_colour_keeps_the_emphasis_and_drops_every_colour() {
        for name in [ThemeName::Default, ThemeName::HighContrast] {
            let coloured = Theme::named(name);
            let plain = coloured.clone().without_colour();
            for (before, after) in coloured.styles().iter().zip(plain.styles()) {
                assert_eq!(after.fg, None);
                assert_eq!(after.bg, None);
                assert_eq!(after.add_modifier, before.add_modifier);
            }
            // Errors and focus stay visible without colour.
            assert!(plain.error.add_modifier.contains(Modifier::BOLD));
            assert!(!plain.input_focused.add_modifier.is_empty());
        }
    }

    #[test]
    fn theme_names() {
        assert_eq!("high-contrast".parse(), Ok(ThemeName::HighContrast));
        assert!("pink".parse::<ThemeName>().is_err());
    }
}
