//! The supervisor's vault: today's vault of a currency (its opening count, what it holds by
//! the book, every movement in and out, its closing count), the blind counts that open and
//! close it, and closing the business day.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::drawer::{
    keep_cash_currencies, next_cash_currency, render_count, CountForm, CountPurpose,
};
use super::{cycle, message_line, money, panel, Screen};
use crate::domain::{Currency, Role};
use crate::services::VaultView;
use crate::tui::context::{describe, Ctx, Flow, Notice, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::strings_day as sd;
use crate::tui::theme;
use crate::tui::widgets::dialog;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody};

#[derive(Debug, Clone, Default)]
enum Mode {
    #[default]
    Loading,
    /// Today's vault of the chosen currency, if it is open.
    Shown(Option<Box<VaultView>>),
    /// Counting the vault (opening or closing), blind.
    Counting(CountForm),
    /// "Close the day?" over the vault shown.
    ConfirmEod(Option<Box<VaultView>>),
}

#[derive(Debug, Clone, Default)]
pub struct VaultScreen {
    mode: Mode,
    /// The vault's currency (USD until another is chosen).
    currency: Option<Currency>,
    error: Option<String>,
    requests: Requests<Asked>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Vault,
    /// Opening or counting the vault.
    Count,
    EndOfDay,
    /// The currencies the bank counts in cash, with their banknotes and coins.
    Currencies,
}

impl VaultScreen {
    fn currency(&self) -> Currency {
        self.currency.unwrap_or(Currency::USD)
    }

    fn is_sending(&self) -> bool {
        self.requests.is_waiting(Asked::Count) || self.requests.is_waiting(Asked::EndOfDay)
    }

    fn load(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let supervisor = ctx
            .session
            .as_ref()
            .is_some_and(|s| s.user.role == Role::Admin);
        if !supervisor {
            self.error = Some(sd::VAULT_SUPERVISORS_ONLY.into());
            self.mode = Mode::Shown(None);
            return;
        }
        if ctx.data.desk.cash_currencies.is_empty() {
            let job = Job::Currencies {
                actor: actor.clone(),
            };
            self.requests.ask_too(ctx, Asked::Currencies, job);
        }
        let currency = self.currency();
        self.requests
            .ask(ctx, Asked::Vault, Job::Vault { actor, currency });
    }

    fn count(&mut self, purpose: CountPurpose, ctx: &Ctx) {
        self.error = None;
        let form = CountForm::new(purpose, self.currency(), &ctx.data.desk);
        self.mode = Mode::Counting(form);
    }

    fn submit_count(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let Mode::Counting(form) = &mut self.mode else {
            return;
        };
        form.error = None;
        let currency = form.currency();
        let Some(count) = form.count() else {
            return;
        };
        let job = match form.purpose {
            CountPurpose::VaultOpen => Job::OpenVault {
                actor,
                currency,
                count,
            },
            _ => Job::CountVault {
                actor,
                currency,
                count,
            },
        };
        self.requests.ask(ctx, Asked::Count, job);
    }
}

impl VaultScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (Asked::Currencies, ReplyBody::Currencies(result)) => {
                if let Ok(list) = result {
                    keep_cash_currencies(&mut ctx.data.desk, list);
                    if let Mode::Counting(form) = &mut self.mode {
                        form.refresh_denominations(&ctx.data.desk);
                    }
                }
            }
            (Asked::Vault, ReplyBody::Vault(result)) => match result {
                // An error a step left stays until the next step.
                Ok(vault) => {
                    if !matches!(self.mode, Mode::Counting(_) | Mode::ConfirmEod(_)) {
                        self.mode = Mode::Shown(vault.map(Box::new));
                    }
                }
                Err(error) => {
                    self.error = Some(describe(&error));
                    self.mode = Mode::Shown(None);
                }
            },
            (Asked::Count, ReplyBody::VaultDay(result)) => match result {
                Ok(vault) => {
                    let notice = match &vault.closing {
                        Some(count) => {
                            format!("{}{}.", sd::VAULT_COUNTED_NOTICE, money(count.difference))
                        }
                        None => format!(
                            "{}{} {}.",
                            sd::VAULT_OPENED_NOTICE,
                            vault.currency,
                            money(vault.opening_total)
                        ),
                    };
                    ctx.notify(Notice::Success(notice));
                    self.currency = Some(vault.currency);
                    self.error = None;
                    self.mode = Mode::Shown(Some(Box::new(vault)));
                }
                Err(error) => {
                    if let Mode::Counting(form) = &mut self.mode {
                        form.error = Some(describe(&error));
                    }
                }
            },
            (Asked::EndOfDay, ReplyBody::EndOfDay(result)) => {
                match result {
                    Ok(done) => match done.written {
                        Ok(path) => {
                            let text = format!("{}{}", sd::EOD_CLOSED, path.display());
                            ctx.notify(Notice::Success(text));
                            self.error = None;
                        }
                        Err(error) => {
                            self.error = Some(format!("{}{error}", sd::EOD_FILES_FAILED));
                        }
                    },
                    Err(error) => self.error = Some(describe(&error)),
                }
                self.mode = Mode::Loading;
                self.load(ctx);
            }
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }
}

impl Screen for VaultScreen {
    fn bindings(&self) -> &'static [Binding] {
        match &self.mode {
            Mode::Loading | Mode::Shown(_) => keys::VAULT,
            Mode::Counting(_) => keys::DRAWER_COUNT,
            Mode::ConfirmEod(_) => keys::CONFIRM,
        }
    }

    fn typing(&self) -> bool {
        matches!(&self.mode, Mode::Counting(form) if form.focused_piece().is_some())
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        if matches!(self.mode, Mode::Loading | Mode::Shown(_)) {
            self.load(ctx);
        }
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        let sending = self.is_sending();
        match &mut self.mode {
            Mode::Loading | Mode::Shown(_) => match cmd {
                Cmd::Refresh => {
                    self.error = None;
                    self.load(ctx);
                }
                Cmd::OpenVault => self.count(CountPurpose::VaultOpen, ctx),
                Cmd::CountVault => self.count(CountPurpose::VaultCount, ctx),
                Cmd::EndOfDay => {
                    self.error = None;
                    self.mode = match std::mem::take(&mut self.mode) {
                        Mode::Shown(vault) => Mode::ConfirmEod(vault),
                        _ => Mode::ConfirmEod(None),
                    };
                }
                Cmd::PrevAccount | Cmd::NextAccount => {
                    let forward = cmd == Cmd::NextAccount;
                    self.currency = next_cash_currency(&ctx.data.desk, self.currency(), forward);
                    self.load(ctx);
                }
                _ => {}
            },
            Mode::Counting(form) => match cmd {
                Cmd::NextField => form.focus = cycle(form.focus, true, form.stops()),
                Cmd::PrevField => form.focus = cycle(form.focus, false, form.stops()),
                Cmd::PrevAccount | Cmd::NextAccount => {
                    form.choose(cmd == Cmd::NextAccount, &ctx.data.desk);
                    if form.chooses() {
                        self.currency = Some(form.currency());
                    }
                }
                Cmd::Submit => self.submit_count(ctx),
                Cmd::Back if !sending => {
                    self.mode = Mode::Loading;
                    self.load(ctx);
                }
                _ => {}
            },
            Mode::ConfirmEod(_) => match cmd {
                Cmd::Yes if !sending => {
                    if let Some(actor) = ctx.actor() {
                        let folder = ctx.config.export_dir.clone();
                        self.requests
                            .ask(ctx, Asked::EndOfDay, Job::EndOfDay { actor, folder });
                    }
                }
                Cmd::No if !sending => {
                    self.mode = Mode::Loading;
                    self.load(ctx);
                }
                _ => {}
            },
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        if self.is_sending() {
            return Flow::Stay;
        }
        if let Mode::Counting(form) = &mut self.mode {
            form.type_key(key);
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    fn is_dirty(&self) -> bool {
        matches!(&self.mode, Mode::Counting(form) if !form.is_empty())
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        match &self.mode {
            Mode::Counting(form) => render_count(frame, area, view, form, true, self.is_sending()),
            Mode::ConfirmEod(vault) => {
                self.render_vault(frame, area, view, vault.as_deref());
                render_confirm_eod(frame, area, view, self.is_sending());
            }
            Mode::Shown(vault) => self.render_vault(frame, area, view, vault.as_deref()),
            Mode::Loading => self.render_vault(frame, area, view, None),
        }
    }
}

impl VaultScreen {
    fn render_vault(&self, frame: &mut Frame, area: Rect, view: &View, vault: Option<&VaultView>) {
        let theme = view.theme;
        let title = format!("{} {}", sd::VAULT_PANEL, self.currency());
        let block = panel(&title, theme);
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let label = |text: &'static str| Span::styled(format!("{text:<20}"), theme.label);
        let mut lines = Vec::new();
        match vault {
            None if matches!(self.mode, Mode::Loading) => {
                lines.push(Line::styled(s::LOADING, theme.hint));
            }
            None => lines.push(Line::styled(sd::VAULT_NOT_OPEN, theme.hint)),
            Some(v) => {
                lines.push(Line::from(vec![
                    label(sd::VAULT_OPENED_BY),
                    Span::raw(format!(
                        "{} · {}",
                        v.opened_by,
                        view.clock.local(v.opened_at).format(s::DATE_TIME_FORMAT)
                    )),
                ]));
                lines.push(Line::from(vec![
                    label(sd::VAULT_OPENING),
                    Span::raw(format!(
                        "{:>14}  {}",
                        money(v.opening_total),
                        v.opening_count
                    )),
                ]));
                lines.push(Line::from(vec![
                    label(sd::VAULT_OPENING_DIFF),
                    Span::raw(format!("{:>14}", money(v.opening_difference))),
                ]));
                lines.push(Line::from(vec![
                    label(sd::VAULT_HOLDS),
                    Span::styled(format!("{:>14}", money(v.holdings_total)), theme.title),
                    Span::raw(format!("  {}", v.holdings)),
                ]));
                lines.push(match &v.closing {
                    Some(c) => Line::from(vec![
                        label(sd::VAULT_COUNTED),
                        Span::raw(format!(
                            "{:>14}  {} · over/short {}",
                            money(c.counted),
                            c.count,
                            money(c.difference)
                        )),
                    ]),
                    None => Line::from(vec![
                        label(sd::VAULT_COUNTED),
                        Span::styled(sd::VAULT_NOT_COUNTED, theme.hint),
                    ]),
                });
                if v.day_closed {
                    lines.push(Line::styled(sd::VAULT_DAY_CLOSED, theme.success));
                }
                lines.push(Line::default());
                lines.push(Line::styled(sd::VAULT_MOVES, theme.label));
                if v.moves.is_empty() {
                    lines.push(Line::styled(sd::VAULT_NO_MOVES, theme.hint));
                }
                for m in v.moves.iter().rev() {
                    lines.push(Line::raw(format!(
                        "  #{:<7} {:<11} {:<3} {:>12}  {:<24} {}",
                        m.reference,
                        m.kind.as_str(),
                        if m.into_vault {
                            sd::VAULT_IN
                        } else {
                            sd::VAULT_OUT
                        },
                        money(m.amount),
                        m.teller,
                        m.pieces
                    )));
                }
            }
        }
        lines.push(Line::default());
        if let Some(error) = &self.error {
            lines.push(message_line(theme::ERROR_MARKER, error, theme.error));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

/// "Close the day?" over the vault.
fn render_confirm_eod(frame: &mut Frame, area: Rect, view: &View, sending: bool) {
    let theme = view.theme;
    let inner = dialog::open(frame, area, 66, 8, sd::EOD_TITLE, theme);
    // The bank's business day is the UTC date.
    let today = view.clock.wall().date_naive();
    let lines = vec![
        Line::from(vec![
            Span::raw(sd::EOD_QUESTION),
            Span::styled(format!("{today} (UTC)?"), theme.title),
        ]),
        Line::styled(sd::EOD_EXPLAINED, theme.hint),
        Line::default(),
        if sending {
            dialog::busy_line(view, s::SENDING)
        } else {
            Line::default()
        },
        dialog::keys_line(sd::EOD_ENTER, sd::EOD_ESC, theme),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
