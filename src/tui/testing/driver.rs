//! The app on a test terminal, driven by keys and clicks and answered by the fake bank.

use std::sync::Arc;
use std::time::Duration;

use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::Terminal;

use super::fixtures::{
    config, fixed_wall, ADMIN_EMAIL, ADMIN_PASSWORD, EMAIL, HEIGHT, PASSWORD, TELLER_EMAIL,
    TELLER_PASSWORD, WIDTH,
};
use super::FakeBank;
use crate::tui::app::{Action, App};
use crate::tui::clock::{Clock, ManualClock};
use crate::tui::ui;
use crate::tui::worker::{Reply, ReplyBody, Request, WorkerMessage};

/// The app on a `TestBackend`, a manual clock and the fake bank; keys in, screen text out.
pub struct Driver {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    pub bank: FakeBank,
    pub clock: ManualClock,
    /// Requests taken from the app and not answered yet (see [`Driver::hold`]).
    pub held: Vec<Request>,
}

impl Default for Driver {
    fn default() -> Self {
        Self::new()
    }
}

impl Driver {
    pub fn new() -> Self {
        Self::with_size(WIDTH, HEIGHT)
    }

    pub fn with_size(width: u16, height: u16) -> Self {
        let clock = ManualClock::new(fixed_wall());
        let app = App::new(config(), Arc::new(clock.clone()));
        let terminal =
            Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {});
        Self {
            app,
            terminal,
            bank: FakeBank::demo(),
            clock,
            held: Vec::new(),
        }
    }

    /// Logged in as the fixture customer, on her accounts.
    pub fn customer() -> Self {
        let mut d = Self::new();
        d.login();
        d
    }

    /// Logged in as the fixture teller, with the drawer open: the customer lookup.
    pub fn teller() -> Self {
        Self::teller_on(FakeBank::demo().with_open_drawer())
    }

    /// Logged in as the fixture teller on this bank: the customer lookup.
    pub fn teller_on(bank: FakeBank) -> Self {
        let mut d = Self::new();
        d.bank = bank;
        d.login_teller();
        d
    }

    pub fn key(&mut self, key: KeyEvent) -> &mut Self {
        self.app.update(Action::Key(key));
        self
    }

    pub fn press(&mut self, code: KeyCode) -> &mut Self {
        self.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    pub fn ctrl(&mut self, c: char) -> &mut Self {
        self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    pub fn type_text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
        self
    }

    /// Types into a form's fields in order, Tab between them (not after the last).
    pub fn fill(&mut self, fields: &[&str]) -> &mut Self {
        for (i, text) in fields.iter().enumerate() {
            if i > 0 {
                self.press(KeyCode::Tab);
            }
            self.type_text(text);
        }
        self
    }

    /// Answers every request (and those the answers cause) from the fake bank.
    pub fn settle(&mut self) -> &mut Self {
        for _ in 0..100 {
            let mut requests = std::mem::take(&mut self.held);
            requests.extend(self.app.take_requests());
            if requests.is_empty() {
                break;
            }
            self.bank.wall = self.clock.wall();
            for request in requests {
                let body = self.bank.answer(request.job);
                self.reply(request.id, body);
            }
        }
        self
    }

    /// Takes the requests made so far without answering them (a slow or lost answer).
    pub fn hold(&mut self) -> &mut Self {
        let requests = self.app.take_requests();
        self.held.extend(requests);
        self
    }

    pub fn reply(&mut self, id: u64, body: ReplyBody) -> &mut Self {
        self.app
            .update(Action::Worker(Box::new(WorkerMessage::Reply(Reply {
                id,
                body,
            }))));
        self
    }

    pub fn worker(&mut self, message: WorkerMessage) -> &mut Self {
        self.app.update(Action::Worker(Box::new(message)));
        self
    }

    pub fn tick(&mut self) -> &mut Self {
        self.app.update(Action::Tick);
        self
    }

    /// Lets time pass on the manual clock, then ticks.
    pub fn wait(&mut self, by: Duration) -> &mut Self {
        self.clock.advance(by);
        self.tick()
    }

    /// Logged in as the fixture supervisor (an admin) on this bank: the customer lookup.
    pub fn supervisor_on(bank: FakeBank) -> Self {
        let mut d = Self::new();
        d.bank = bank;
        d.type_text(ADMIN_EMAIL)
            .press(KeyCode::Tab)
            .type_text(ADMIN_PASSWORD)
            .press(KeyCode::Enter)
            .settle();
        d
    }

    /// Logs in as the fixture teller: the customer lookup.
    pub fn login_teller(&mut self) -> &mut Self {
        self.type_text(TELLER_EMAIL)
            .press(KeyCode::Tab)
            .type_text(TELLER_PASSWORD)
            .press(KeyCode::Enter)
            .settle()
    }

    /// The fixture supervisor types their email and password into the approval shown, and
    /// sends it.
    pub fn approve_as_supervisor(&mut self) -> &mut Self {
        self.type_text(ADMIN_EMAIL)
            .press(KeyCode::Tab)
            .type_text(ADMIN_PASSWORD)
            .press(KeyCode::Enter)
            .settle()
    }

    /// Lets the search's pause in typing pass, and answers.
    pub fn pause(&mut self) -> &mut Self {
        self.wait(Duration::from_millis(400)).settle()
    }

    /// Logs in as the fixture customer and loads the home screen.
    pub fn login(&mut self) -> &mut Self {
        self.type_text(EMAIL)
            .press(KeyCode::Tab)
            .type_text(PASSWORD)
            .press(KeyCode::Enter)
            .settle()
    }

    pub fn draw(&mut self) -> &Buffer {
        let app = &self.app;
        self.terminal
            .draw(|frame| ui::render(app, frame))
            .unwrap_or_else(|e| match e {});
        self.terminal.backend().buffer()
    }

    /// The screen as text, one line per row, trailing spaces trimmed.
    pub fn screen(&mut self) -> String {
        buffer_text(self.draw())
    }

    pub fn resize(&mut self, width: u16, height: u16) -> &mut Self {
        self.terminal.backend_mut().resize(width, height);
        self.app.update(Action::Resize(width, height));
        self
    }

    /// The first cell holding `text` on the screen, as (column, row); panics when it is not
    /// there (a test fails by panicking).
    #[allow(clippy::panic)]
    pub fn find(&mut self, text: &str) -> (u16, u16) {
        let screen = self.screen();
        for (y, line) in screen.lines().enumerate() {
            if let Some(byte) = line.find(text) {
                let x = line[..byte].chars().count();
                return (
                    u16::try_from(x).unwrap_or(u16::MAX),
                    u16::try_from(y).unwrap_or(u16::MAX),
                );
            }
        }
        panic!("{text:?} not on the screen:\n{screen}");
    }

    /// A left click at this cell (the screen is drawn first, as a person sees it).
    pub fn click(&mut self, column: u16, row: u16) -> &mut Self {
        self.draw();
        self.mouse(MouseEventKind::Down(MouseButton::Left), column, row)
    }

    /// A left click on the first place `text` is shown.
    pub fn click_on(&mut self, text: &str) -> &mut Self {
        let (column, row) = self.find(text);
        self.click(column, row)
    }

    /// One notch of the wheel, down or up.
    pub fn scroll(&mut self, down: bool) -> &mut Self {
        self.draw();
        let kind = if down {
            MouseEventKind::ScrollDown
        } else {
            MouseEventKind::ScrollUp
        };
        self.mouse(kind, 10, 10)
    }

    fn mouse(&mut self, kind: MouseEventKind, column: u16, row: u16) -> &mut Self {
        self.app.update(Action::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
        self
    }
}

/// A buffer's text, one line per row, trailing spaces trimmed.
pub fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        for x in area.left()..area.right() {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
