//! The supervisors' exchange rates (F10): every rate in force or set to come, by pair; `n` (or
//! Enter on a row) sets a pair's buy and sell from now on. A rate is never changed: the new one
//! is added and the old one stays as history (docs/fx.md).

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, Wrap};
use ratatui::Frame;

use super::{empty_list, message_line, panel, row_style, Screen};
use crate::domain::{Currency, Rate, RatePair, Role};
use crate::services::RateView;
use crate::tui::context::{describe, Ctx, Flow, Notice, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::strings_fx as sx;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody, RequestId};

/// Setting a pair's rates: four fields, Tab between them.
#[derive(Debug, Clone)]
struct Setting {
    fields: [Field; 4],
    focus: usize,
    error: Option<String>,
}

impl Setting {
    fn new(from: Option<&RateView>) -> Self {
        let mut fields = [
            Field::new(sx::FIELD_BASE),
            Field::new(sx::FIELD_QUOTE),
            Field::new(sx::FIELD_BUY),
            Field::new(sx::FIELD_SELL),
        ];
        if let Some(rate) = from {
            fields[0].set_value(rate.base.as_str());
            fields[1].set_value(rate.quote.as_str());
        }
        let focus = if from.is_some() { 2 } else { 0 };
        Self {
            fields,
            focus,
            error: None,
        }
    }

    /// The pair the fields say, or the first field's error shown on it (each field parsed
    /// once, by the domain's rules).
    fn pair(&mut self) -> Option<RatePair> {
        let [base, quote, buy, sell] = &self.fields;
        let (base, quote) = (
            Currency::parse(base.value()),
            Currency::parse(quote.value()),
        );
        let (buy, sell) = (Rate::parse(buy.value()), Rate::parse(sell.value()));
        let errors = [
            base.as_ref().err(),
            quote.as_ref().err(),
            buy.as_ref().err(),
            sell.as_ref().err(),
        ];
        if let Some((i, e)) = errors
            .into_iter()
            .enumerate()
            .find_map(|(i, e)| Some((i, e?.rule.clone())))
        {
            self.fields[i].error = Some(e);
            self.focus = i;
            return None;
        }
        let (Ok(base), Ok(quote), Ok(buy), Ok(sell)) = (base, quote, buy, sell) else {
            return None;
        };
        match RatePair::new(base, quote, buy, sell) {
            Ok(pair) => Some(pair),
            Err(e) => {
                self.error = Some(e.rule);
                None
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RatesScreen {
    list: Vec<RateView>,
    selected: usize,
    loaded: bool,
    setting: Option<Setting>,
    error: Option<String>,
    requests: Requests<Asked>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    List,
    Set,
}

impl RatesScreen {
    fn load(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        if ctx.session.as_ref().map(|s| s.user.role) != Some(Role::Admin) {
            self.error = Some(sx::RATES_SUPERVISORS_ONLY.into());
            return;
        }
        self.requests
            .ask_too(ctx, Asked::List, Job::Rates { actor });
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let Some(pair) = self.setting.as_mut().and_then(Setting::pair) else {
            return;
        };
        self.requests
            .ask(ctx, Asked::Set, Job::SetRate { actor, pair });
    }
}

impl Screen for RatesScreen {
    fn bindings(&self) -> &'static [Binding] {
        if self.setting.is_some() {
            keys::RATE_SET
        } else {
            keys::RATES
        }
    }

    fn typing(&self) -> bool {
        self.setting.is_some()
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        self.load(ctx);
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        let sending = self.requests.is_waiting(Asked::Set);
        if let Some(setting) = self.setting.as_mut() {
            match cmd {
                Cmd::Submit if !sending => self.submit(ctx),
                Cmd::NextField => setting.focus = (setting.focus + 1) % setting.fields.len(),
                Cmd::PrevField => {
                    setting.focus =
                        (setting.focus + setting.fields.len() - 1) % setting.fields.len();
                }
                Cmd::Back if !sending => self.setting = None,
                _ => {}
            }
            return Flow::Stay;
        }
        match cmd {
            Cmd::Up => self.selected = self.selected.saturating_sub(1),
            Cmd::Down => {
                self.selected = (self.selected + 1).min(self.list.len().saturating_sub(1));
            }
            Cmd::Edit if self.error.as_deref() != Some(sx::RATES_SUPERVISORS_ONLY) => {
                self.setting = Some(Setting::new(self.list.get(self.selected)));
            }
            Cmd::Refresh => {
                self.error = None;
                self.load(ctx);
            }
            _ => {}
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        if self.requests.is_waiting(Asked::Set) {
            return Flow::Stay;
        }
        if let Some(setting) = self.setting.as_mut() {
            let focus = setting.focus;
            if setting.fields[focus].handle_key(key) {
                setting.fields[focus].error = None;
                setting.error = None;
            }
        }
        Flow::Stay
    }

    fn on_reply(&mut self, id: RequestId, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        let Some(asked) = self.requests.take(id) else {
            return Flow::Stay;
        };
        match (asked, body) {
            (Asked::List, ReplyBody::Rates(result)) => match result {
                Ok(list) => {
                    self.list = list;
                    self.selected = self.selected.min(self.list.len().saturating_sub(1));
                    self.loaded = true;
                }
                Err(error) => self.error = Some(describe(&error)),
            },
            (Asked::Set, ReplyBody::RateSet(result)) => match result {
                Ok(view) => {
                    ctx.notify(Notice::Success(format!(
                        "{}{}/{} buy {} sell {}.",
                        sx::RATE_SET_NOTICE,
                        view.base,
                        view.quote,
                        view.buy,
                        view.sell
                    )));
                    self.setting = None;
                    self.load(ctx);
                }
                Err(error) => {
                    if let Some(setting) = self.setting.as_mut() {
                        setting.error = Some(describe(&error));
                    }
                }
            },
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }

    fn is_dirty(&self) -> bool {
        self.setting
            .as_ref()
            .is_some_and(|s| s.fields.iter().skip(2).any(|f| !f.is_empty()))
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let block = panel(sx::RATES_PANEL, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [table_area, hint_area, message_area] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(2),
            Constraint::Length(1),
        ])
        .areas(inner);
        if self.list.is_empty() {
            empty_list(frame, table_area, self.loaded, sx::RATES_NONE, theme);
        } else {
            let time = |at| view.clock.local(at).format("%m-%d %H:%M").to_string();
            let rows = self.list.iter().enumerate().map(|(i, r)| {
                let style = row_style(i, self.selected, theme);
                Row::new(vec![
                    format!("{}/{}", r.base, r.quote),
                    r.buy.to_string(),
                    r.sell.to_string(),
                    time(r.valid_from),
                    r.valid_until
                        .map_or_else(|| sx::UNTIL_REPLACED.to_string(), time),
                    if r.in_force { sx::IN_FORCE } else { "" }.to_string(),
                ])
                .style(style)
            });
            let widths = [
                Constraint::Length(8),
                Constraint::Length(12),
                Constraint::Length(12),
                Constraint::Length(12),
                Constraint::Length(12),
                Constraint::Fill(1),
            ];
            let header = Row::new(sx::RATES_HEADER.to_vec()).style(theme.table_header);
            frame.render_widget(Table::new(rows, widths).header(header), table_area);
        }
        frame.render_widget(
            Paragraph::new(Line::styled(sx::RATES_EXPLAINED, theme.hint)).wrap(Wrap { trim: true }),
            hint_area,
        );
        if let Some(error) = &self.error {
            frame.render_widget(
                message_line(crate::tui::theme::ERROR_MARKER, error, theme.error),
                message_area,
            );
        }
        if let Some(setting) = &self.setting {
            self.render_setting(frame, area, view, setting);
        }
    }
}

impl RatesScreen {
    fn render_setting(&self, frame: &mut Frame, area: Rect, view: &View, setting: &Setting) {
        let theme = view.theme;
        let height = 2 + 4 * field::HEIGHT + 1;
        let inner = dialog::open(frame, area, 66, height, sx::SET_RATE_TITLE, theme);
        for (i, f) in setting.fields.iter().enumerate() {
            let row = Rect {
                y: inner.y + u16::try_from(i).unwrap_or(0) * field::HEIGHT,
                height: field::HEIGHT,
                ..inner
            };
            if let Some(cursor) = f.render(frame, row, i == setting.focus, theme) {
                frame.set_cursor_position(cursor);
            }
        }
        dialog::foot(
            frame,
            inner,
            view,
            self.requests.is_waiting(Asked::Set),
            setting.error.as_deref(),
            (sx::SET_RATE_ENTER, s::APPROVAL_ESC),
        );
    }
}
