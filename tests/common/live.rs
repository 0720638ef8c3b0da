//! Drives the full-screen app with its real worker on a test database: key events in, a
//! `TestBackend` frame out, a manual clock. Shared by the key-driven flow tests.

use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use teller::tui::app::{Action, App};
use teller::tui::clock::ManualClock;
use teller::tui::testing::buffer_text;
use teller::tui::worker::{WorkerConfig, WorkerHandle};
use teller::tui::{step, ui, TuiConfig};

/// How long any wait may take before the test fails (never hangs).
const PATIENCE: Duration = Duration::from_secs(30);

pub struct Live {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    pub inbox: Receiver<Action>,
    pub worker: WorkerHandle,
    pub clock: ManualClock,
    pub export_dir: std::path::PathBuf,
    /// Advance the clock and tick while waiting (debounced searches need time to pass).
    ticking: bool,
}

impl Live {
    /// The app with the idle lock at 5 minutes; time moves only when the test moves it.
    pub fn new(url: &str) -> Self {
        Self::start(url, Some(Duration::from_secs(300)), false)
    }

    /// The app without idle lock; time moves on while the test waits.
    pub fn ticking(url: &str) -> Self {
        Self::start(url, None, true)
    }

    fn start(url: &str, idle_timeout: Option<Duration>, ticking: bool) -> Self {
        let (actions, inbox) = mpsc::channel();
        let mut worker_config = WorkerConfig::new(url, super::test_config());
        worker_config.backoff_min = Duration::from_millis(50);
        worker_config.backoff_max = Duration::from_millis(400);
        let worker = WorkerHandle::spawn(worker_config, actions).expect("worker");
        let clock = ManualClock::new(chrono::Utc::now());
        let export_dir = std::env::temp_dir().join(format!(
            "teller-export-test-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let config = TuiConfig {
            idle_timeout,
            export_dir: export_dir.clone(),
            database_label: "teller_test on the test server".into(),
            tick: Duration::from_millis(50),
            ..TuiConfig::new("mysql://teller_app@127.0.0.1/teller_test")
        };
        let app = App::new(config, Arc::new(clock.clone()));
        let terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        Self {
            app,
            terminal,
            inbox,
            worker,
            clock,
            export_dir,
            ticking,
        }
    }

    pub fn act(&mut self, action: Action) -> &mut Self {
        step(&mut self.app, action, &self.worker);
        self
    }

    pub fn press(&mut self, code: KeyCode) -> &mut Self {
        self.act(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    pub fn char(&mut self, c: char) -> &mut Self {
        self.press(KeyCode::Char(c))
    }

    pub fn tab(&mut self) -> &mut Self {
        self.press(KeyCode::Tab)
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
                self.tab();
            }
            self.type_text(text);
        }
        self
    }

    pub fn screen(&mut self) -> String {
        let app = &self.app;
        self.terminal
            .draw(|frame| ui::render(app, frame))
            .expect("draw");
        buffer_text(self.terminal.backend().buffer())
    }

    /// Feeds the worker's answers to the app until `done` holds.
    pub fn wait_until(&mut self, what: &str, mut done: impl FnMut(&mut Self) -> bool) -> &mut Self {
        let deadline = Instant::now() + PATIENCE;
        while !done(self) {
            if Instant::now() > deadline {
                let screen = self.screen();
                panic!("timed out waiting for {what}; the screen:\n{screen}");
            }
            match self.inbox.recv_timeout(Duration::from_millis(20)) {
                Ok(action) => {
                    self.act(action);
                }
                Err(_) if self.ticking => {
                    self.clock.advance(Duration::from_millis(100));
                    self.act(Action::Tick);
                }
                Err(_) => {}
            }
        }
        self
    }

    pub fn wait_for(&mut self, text: &str) -> &mut Self {
        let wanted = text.to_string();
        self.wait_until(text, move |live| live.screen().contains(&wanted))
    }

    /// Waits until no answer is outstanding.
    pub fn settle(&mut self) -> &mut Self {
        self.wait_until("the worker to finish", |live| !live.app.busy())
    }

    pub fn login(&mut self, address: &str, password: &str) -> &mut Self {
        self.type_text(address)
            .tab()
            .type_text(password)
            .press(KeyCode::Enter)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.export_dir);
    }
}
