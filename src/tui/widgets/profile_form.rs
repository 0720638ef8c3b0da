//! The profile edit form, shared by "my profile" and the card's "edit the customer": the
//! person's fields and phone numbers, checked as domain types when submitted, and its drawing.

use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::{
    Age, City, Country, Email, Field as DomainField, Name, Phone, Surname, ValidationError,
};
use crate::services::{ProfileChanges, UserProfile};
use crate::tui::context::View;
use crate::tui::screens::panel;
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::focus::{FocusRing, Stops};

/// The edit form's stops, in the order Tab visits them. The first six are the profile's fields,
/// in the order of `EditForm::fields`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EditStop {
    #[default]
    Name,
    Surname,
    Age,
    Country,
    City,
    Email,
    /// The new phone field.
    NewPhone,
    /// The phone list.
    Phones,
}

impl Stops for EditStop {
    const ORDER: &'static [Self] = &[
        Self::Name,
        Self::Surname,
        Self::Age,
        Self::Country,
        Self::City,
        Self::Email,
        Self::NewPhone,
        Self::Phones,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneState {
    Kept,
    Removed,
    Added,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneRow {
    pub number: String,
    pub state: PhoneState,
}

#[derive(Debug, Clone)]
pub struct EditForm {
    /// Name, surname, age, country, city, email.
    pub fields: [Field; 6],
    pub phones: Vec<PhoneRow>,
    pub phone_selected: usize,
    pub new_phone: Field,
    pub focus: FocusRing<EditStop>,
    pub error: Option<String>,
}

impl EditForm {
    pub(crate) fn from_profile(p: &UserProfile) -> Self {
        Self {
            fields: [
                Field::new(s::FIELD_NAME).with_value(p.name.clone()),
                Field::new(s::FIELD_SURNAME).with_value(p.surname.clone().unwrap_or_default()),
                Field::new(s::FIELD_AGE).with_value(p.age.to_string()),
                Field::new(s::FIELD_COUNTRY).with_value(p.country.clone()),
                Field::new(s::FIELD_CITY).with_value(p.city.clone().unwrap_or_default()),
                Field::new(s::FIELD_EMAIL).with_value(p.email.to_string()),
            ],
            phones: p
                .phones
                .iter()
                .map(|n| PhoneRow {
                    number: n.clone(),
                    state: PhoneState::Kept,
                })
                .collect(),
            phone_selected: 0,
            new_phone: Field::new(s::FIELD_NEW_PHONE),
            focus: FocusRing::default(),
            error: None,
        }
    }

    pub(crate) fn focused_field(&mut self) -> Option<&mut Field> {
        self.field_at(self.focus.get())
    }

    fn field_at(&mut self, stop: EditStop) -> Option<&mut Field> {
        match stop {
            EditStop::Phones => None,
            EditStop::NewPhone => Some(&mut self.new_phone),
            // The profile's fields are the first stops, in the same order.
            field => self.fields.get_mut(field as usize),
        }
    }

    fn value(&self, stop: EditStop) -> String {
        self.fields
            .get(stop as usize)
            .map(|f| f.value().trim().to_string())
            .unwrap_or_default()
    }

    /// The bank said the email belongs to someone else.
    pub(crate) fn email_taken(&mut self) {
        self.focus.set(EditStop::Email);
        if let Some(field) = self.field_at(EditStop::Email) {
            field.error = Some(s::EMAIL_TAKEN.into());
        }
    }

    pub(crate) fn field_for(&mut self, which: DomainField) -> Option<&mut Field> {
        let stop = match which {
            DomainField::Name => EditStop::Name,
            DomainField::Surname => EditStop::Surname,
            DomainField::Age => EditStop::Age,
            DomainField::Country => EditStop::Country,
            DomainField::City => EditStop::City,
            DomainField::Email => EditStop::Email,
            DomainField::Phone => EditStop::NewPhone,
            _ => return None,
        };
        self.focus.set(stop);
        self.field_at(stop)
    }

    /// Adds the typed number to the list (saved with the rest).
    pub(crate) fn add_phone(&mut self) {
        match Phone::parse(self.new_phone.value()) {
            Ok(phone) => {
                let number = phone.as_str().to_string();
                if let Some(row) = self.phones.iter_mut().find(|r| r.number == number) {
                    row.state = PhoneState::Kept;
                } else {
                    self.phones.push(PhoneRow {
                        number,
                        state: PhoneState::Added,
                    });
                }
                self.new_phone.clear();
            }
            Err(e) => self.new_phone.error = Some(e.rule),
        }
    }

    pub(crate) fn toggle_phone(&mut self) {
        let Some(row) = self.phones.get_mut(self.phone_selected) else {
            return;
        };
        match row.state {
            PhoneState::Kept => row.state = PhoneState::Removed,
            PhoneState::Removed => row.state = PhoneState::Kept,
            PhoneState::Added => {
                self.phones.remove(self.phone_selected);
                self.phone_selected = self.phone_selected.min(self.phones.len().saturating_sub(1));
            }
        }
    }

    /// The changes against `profile`, or the field errors found.
    pub(crate) fn changes(&mut self, profile: &UserProfile) -> Option<ProfileChanges> {
        let mut changes = ProfileChanges::default();
        let mut errors: Vec<ValidationError> = Vec::new();
        let value = |stop: EditStop| self.value(stop);
        let mut check = |r: Result<(), ValidationError>| {
            if let Err(e) = r {
                errors.push(e);
            }
        };

        check(Name::parse(&value(EditStop::Name)).map(|name| {
            if name.as_str() != profile.name {
                changes.name = Some(name);
            }
        }));
        check(
            crate::domain::optional(&value(EditStop::Surname), Surname::parse).map(|surname| {
                if surname.as_ref().map(Surname::as_str) != profile.surname.as_deref() {
                    changes.surname = Some(surname);
                }
            }),
        );
        check(Age::parse(&value(EditStop::Age)).map(|age| {
            if age.value() != profile.age {
                changes.age = Some(age);
            }
        }));
        check(Country::parse(&value(EditStop::Country)).map(|country| {
            if country.as_str() != profile.country {
                changes.country = Some(country);
            }
        }));
        check(
            crate::domain::optional(&value(EditStop::City), City::parse).map(|city| {
                if city.as_ref().map(City::as_str) != profile.city.as_deref() {
                    changes.city = Some(city);
                }
            }),
        );
        check(Email::parse(&value(EditStop::Email)).map(|email| {
            if email != profile.email {
                changes.email = Some(email);
            }
        }));
        if !self.new_phone.is_empty() {
            check(Phone::parse(self.new_phone.value()).map(|phone| {
                changes.add_phones.push(phone);
            }));
        }
        for row in &self.phones {
            let list = match row.state {
                PhoneState::Kept => continue,
                PhoneState::Added => &mut changes.add_phones,
                PhoneState::Removed => &mut changes.remove_phones,
            };
            if let Ok(phone) = Phone::parse(&row.number) {
                list.push(phone);
            }
        }
        if errors.is_empty() {
            return Some(changes);
        }
        let mut first = None;
        for e in errors.into_iter().rev() {
            let rule = e.rule.clone();
            if let Some(field) = self.field_for(e.field) {
                field.error = Some(rule);
                first = Some(self.focus.get());
            }
        }
        if let Some(first) = first {
            self.focus.set(first);
        }
        None
    }

    pub(crate) fn is_changed(&self, profile: &UserProfile) -> bool {
        let original = Self::from_profile(profile);
        self.fields
            .iter()
            .zip(original.fields.iter())
            .any(|(a, b)| a.value() != b.value())
            || self.phones != original.phones
            || !self.new_phone.is_empty()
    }
}

pub fn is_unchanged(c: &ProfileChanges) -> bool {
    c.email.is_none()
        && c.name.is_none()
        && c.surname.is_none()
        && c.age.is_none()
        && c.country.is_none()
        && c.city.is_none()
        && c.add_phones.is_empty()
        && c.remove_phones.is_empty()
}

pub fn render_edit_titled(
    form: &EditForm,
    title: &str,
    frame: &mut Frame,
    area: Rect,
    view: &View,
) {
    let theme = view.theme;
    let [left, right] =
        Layout::horizontal([Constraint::Min(50), Constraint::Length(22)]).areas(area);
    let block = panel(title, theme);
    let inner = block.inner(left).inner(Margin::new(1, 1));
    frame.render_widget(block, left);
    let rows = Layout::vertical([Constraint::Length(field::HEIGHT); 7]).split(inner);
    let mut cursor = None;
    let fields = form.fields.iter().chain(std::iter::once(&form.new_phone));
    for ((field, rect), stop) in fields.zip(rows.iter()).zip(EditStop::ORDER) {
        let position = field.render(frame, *rect, form.focus.is(*stop), theme);
        cursor = cursor.or(position);
    }
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }

    let list_focused = form.focus.is(EditStop::Phones);
    let block = panel(s::PHONES_PANEL, theme).border_style(if list_focused {
        theme.border_focused
    } else {
        theme.border
    });
    let inner = block.inner(right).inner(Margin::new(0, 1));
    frame.render_widget(block, right);
    let mut lines: Vec<Line> = form
        .phones
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let selected = list_focused && i == form.phone_selected;
            let marker = if selected {
                theme::SELECTED_MARKER
            } else {
                theme::NO_MARKER
            };
            // The sign says it without colour: "-" goes away on save, "+" is new.
            let (sign, style) = match row.state {
                PhoneState::Kept => (s::PHONE_KEPT, theme.base),
                PhoneState::Removed => (
                    s::PHONE_REMOVED,
                    theme.dim.add_modifier(Modifier::CROSSED_OUT),
                ),
                PhoneState::Added => (s::PHONE_ADDED, theme.title),
            };
            let style = if selected {
                style.patch(theme.selected)
            } else {
                style
            };
            Line::from(vec![
                Span::styled(marker, theme.label_focused),
                Span::styled(format!("{sign}{}", row.number), style),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(s::NO_PHONES, theme.hint));
    }
    if list_focused {
        lines.push(Line::default());
        lines.push(Line::styled(s::PHONES_HINT, theme.hint));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
