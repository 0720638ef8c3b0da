//! The model and its one `update`: every key, tick and worker answer goes through
//! [`App::update`], and nothing else changes the state (the Elm architecture). Side effects
//! leave as [`Request`]s in an outbox that the main loop hands to the worker, so the model
//! itself never blocks and tests can look at exactly what it asked for.

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::clock::Clock;
pub use super::context::{describe, Action, Ctx, Data, Flow, Notice, Route, Session, View};
use super::context::{Outbox, Target};
use super::keys::{self, Cmd};
use super::screens::help::HelpOverlay;
use super::screens::lock::LockScreen;
use super::screens::palette::Palette;
use super::screens::quit::QuitConfirm;
use super::screens::{self, Screen};
use super::strings as s;
use super::theme::{Theme, SPINNER};
use super::worker::{is_connection_lost, ReplyBody, Request, RequestId, WorkerMessage};
use super::TuiConfig;
use crate::services::SessionUser;

mod badge;
mod mouse;
mod palette;

/// Declares the screens' state from the list in `route.rs`: a field per screen, and the
/// lookups by route.
macro_rules! screen_state {
    ($($(#[$doc:meta])* $route:ident $field:ident: $module:ident::$state:ident,
        $title:expr, $audience:ident, $customer_tab:expr, $staff_tab:expr;)+) => {
        /// The screens' own state; each keeps what was typed while the person looks elsewhere.
        #[derive(Debug, Default)]
        pub struct Screens {
            $(pub $field: screens::$module::$state,)+
        }

        impl Screens {
            pub fn get(&self, route: Route) -> &dyn Screen {
                match route {
                    $(Route::$route => &self.$field,)+
                }
            }

            pub fn get_mut(&mut self, route: Route) -> &mut dyn Screen {
                match route {
                    $(Route::$route => &mut self.$field,)+
                }
            }
        }
    };
}

super::route::every_screen!(screen_state);

impl Screens {
    fn any_dirty(&self) -> bool {
        Route::ALL.into_iter().any(|r| self.get(r).is_dirty())
    }
}

/// A modal on top of the screen; it owns the keyboard while open.
#[derive(Debug)]
pub enum Overlay {
    Help(HelpOverlay),
    QuitConfirm(QuitConfirm),
    Palette(Box<Palette>),
}

pub struct App {
    pub(crate) config: TuiConfig,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) theme: Theme,
    pub(crate) session: Option<Session>,
    pub(crate) route: Route,
    pub(crate) screens: Screens,
    pub(crate) lock: Option<LockScreen>,
    pub(crate) overlay: Option<Overlay>,
    pub(crate) data: Data,
    pub(crate) notice: Option<Notice>,
    pub(crate) db_down: bool,
    /// The database node the worker uses (a cluster lists several).
    pub(crate) node: Option<String>,
    outbox: Outbox,
    last_activity: Instant,
    spinner: usize,
    quit: bool,
    /// Why the app had to stop (the worker crashed), said after the terminal is restored.
    fatal: Option<String>,
    /// A palette command waiting for its screen to load (cleared by any key).
    deferred: Option<(Route, Cmd)>,
    /// When the supervisors' badge last asked for the waiting requests.
    badge_asked: Option<Instant>,
    /// The terminal's size at the last frame, for placing clicks.
    pub(crate) frame_area: Cell<Rect>,
}

/// The Elm-style entry point: `update(&mut app, action)`.
pub fn update(app: &mut App, action: Action) {
    app.update(action);
}

impl App {
    pub fn new(config: TuiConfig, clock: Arc<dyn Clock>) -> Self {
        let last_activity = clock.now();
        Self {
            theme: config.theme.clone(),
            config,
            clock,
            session: None,
            route: Route::Login,
            screens: Screens::default(),
            lock: None,
            overlay: None,
            data: Data::default(),
            notice: None,
            db_down: false,
            node: None,
            outbox: Outbox::default(),
            last_activity,
            spinner: 0,
            quit: false,
            fatal: None,
            deferred: None,
            badge_asked: None,
            frame_area: Cell::new(Rect::default()),
        }
    }

    // ---- read access (for the main loop, the view and tests) ----

    pub fn route(&self) -> Route {
        self.route
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn data(&self) -> &Data {
        &self.data
    }

    pub fn screens(&self) -> &Screens {
        &self.screens
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn is_locked(&self) -> bool {
        self.lock.is_some()
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    pub fn database_down(&self) -> bool {
        self.db_down
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Why the app stopped on its own, if it did.
    pub fn fatal(&self) -> Option<&str> {
        self.fatal.as_deref()
    }

    /// True while an answer from the worker is awaited.
    pub fn busy(&self) -> bool {
        !self.outbox.pending.is_empty()
    }

    /// Requests made since the last call, for the worker.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.outbox.requests)
    }

    /// Requests made and not yet taken (tests look at them).
    pub fn queued_requests(&self) -> &[Request] {
        &self.outbox.requests
    }

    pub fn view(&self) -> View<'_> {
        View {
            session: self.session.as_ref(),
            data: &self.data,
            clock: self.clock.as_ref(),
            theme: &self.theme,
            config: &self.config,
            spinner: SPINNER[self.spinner % SPINNER.len()],
            busy: self.busy(),
        }
    }

    /// True while the focused widget takes plain letters as text.
    pub fn typing(&self) -> bool {
        match &self.overlay {
            Some(Overlay::Palette(_)) => true,
            Some(_) => self.lock.is_some(),
            None => self.lock.is_some() || self.screens.get(self.route).typing(),
        }
    }

    /// The bindings in force now: the modal's, or the screen's plus navigation and global.
    pub fn active_bindings(&self) -> Vec<&[keys::Binding]> {
        if let Some(Overlay::QuitConfirm(_)) = &self.overlay {
            return vec![keys::QUIT_CONFIRM];
        }
        if self.lock.is_some() {
            return vec![keys::LOCK];
        }
        match &self.overlay {
            Some(Overlay::Help(_)) => return vec![keys::HELP_OVERLAY],
            Some(Overlay::Palette(_)) => return vec![keys::PALETTE],
            _ => {}
        }
        self.screen_bindings()
    }

    /// The current screen's bindings, then the tab keys (once logged in), then the global ones.
    pub fn screen_bindings(&self) -> Vec<&[keys::Binding]> {
        let mut all = vec![self.screens.get(self.route).bindings()];
        if let Some(nav) = self.nav_bindings() {
            all.push(nav);
        }
        all.push(self.config.keymap.global());
        all
    }

    /// The keys that move between screens: the customer's or the workstation's; none before
    /// login.
    pub fn nav_bindings(&self) -> Option<&[keys::Binding]> {
        self.session
            .as_ref()
            .map(|session| self.config.keymap.nav(session.user.role))
    }

    // ---- update ----

    pub fn update(&mut self, action: Action) {
        match action {
            Action::Key(key) => self.on_key(key),
            Action::Resize(..) => {}
            Action::Hangup => self.quit = true,
            Action::Mouse(event) => self.on_mouse(event),
            Action::Tick => self.on_tick(),
            Action::Worker(message) => self.on_worker(*message),
        }
    }

    pub(crate) fn ctx(
        &mut self,
        target: Target,
    ) -> (Ctx<'_>, &mut Screens, &mut Option<LockScreen>) {
        let ctx = Ctx {
            session: &mut self.session,
            data: &mut self.data,
            notice: &mut self.notice,
            clock: self.clock.as_ref(),
            config: &self.config,
            outbox: &mut self.outbox,
            target,
        };
        (ctx, &mut self.screens, &mut self.lock)
    }

    fn on_tick(&mut self) {
        if self.busy() {
            self.spinner = self.spinner.wrapping_add(1);
        }
        if self.session.is_some() && self.lock.is_none() {
            let route = self.route;
            let (mut ctx, screens, _) = self.ctx(Target::Screen(route));
            screens.get_mut(route).on_tick(&mut ctx);
            self.palette_tick();
            self.badge_tick();
        }
        let Some(timeout) = self.config.idle_timeout else {
            return;
        };
        if self.session.is_some()
            && self.lock.is_none()
            && self
                .clock
                .now()
                .saturating_duration_since(self.last_activity)
                >= timeout
        {
            self.lock_now();
        }
    }

    /// Hides everything behind the lock screen; the screens keep what was typed.
    pub fn lock_now(&mut self) {
        if self.session.is_none() {
            return;
        }
        tracing::info!("idle lock");
        self.overlay = None;
        self.lock = Some(LockScreen::default());
    }

    fn on_key(&mut self, key: KeyEvent) {
        self.last_activity = self.clock.now();
        self.deferred = None;
        if let Some(Overlay::QuitConfirm(_)) = &self.overlay {
            match keys::lookup(keys::QUIT_CONFIRM, &key, false) {
                Some(Cmd::Yes) => self.quit = true,
                Some(Cmd::No) => self.overlay = None,
                _ => {}
            }
            return;
        }
        if self.lock.is_some() {
            self.on_lock_key(&key);
            return;
        }
        if let Some(Overlay::Help(help)) = &mut self.overlay {
            match keys::lookup(keys::HELP_OVERLAY, &key, false) {
                Some(Cmd::Back) => self.overlay = None,
                Some(Cmd::Quit) => self.request_quit(),
                Some(Cmd::Up) => help.scroll_by(-1),
                Some(Cmd::Down) => help.scroll_by(1),
                Some(Cmd::PageUp) => help.scroll_by(-10),
                Some(Cmd::PageDown) => help.scroll_by(10),
                _ => {}
            }
            return;
        }
        if let Some(Overlay::Palette(_)) = &self.overlay {
            self.on_palette_key(&key);
            return;
        }
        let typing = self.screens.get(self.route).typing();
        let cmd = self
            .screen_bindings()
            .into_iter()
            .find_map(|bindings| keys::lookup(bindings, &key, typing));
        let flow = match cmd {
            Some(Cmd::Quit) => Flow::Quit,
            Some(Cmd::Help) => {
                self.overlay = Some(Overlay::Help(HelpOverlay::default()));
                Flow::Stay
            }
            Some(Cmd::Palette) => {
                self.open_palette();
                Flow::Stay
            }
            Some(Cmd::Go(route)) => Flow::Go(route),
            Some(cmd) => {
                let route = self.route;
                let (mut ctx, screens, _) = self.ctx(Target::Screen(route));
                screens.get_mut(route).on_command(cmd, &mut ctx)
            }
            None => {
                let route = self.route;
                let (mut ctx, screens, _) = self.ctx(Target::Screen(route));
                screens.get_mut(route).on_input(&key, &mut ctx)
            }
        };
        self.apply(flow);
    }

    fn on_lock_key(&mut self, key: &KeyEvent) {
        let cmd = keys::lookup(keys::LOCK, key, true);
        if cmd == Some(Cmd::Quit) {
            self.request_quit();
            return;
        }
        let (mut ctx, _, lock) = self.ctx(Target::Lock);
        let Some(lock) = lock.as_mut() else { return };
        if cmd == Some(Cmd::Submit) {
            lock.submit(&mut ctx);
        } else {
            lock.on_input(key);
        }
    }

    pub(crate) fn apply(&mut self, flow: Flow) {
        match flow {
            Flow::Stay => {}
            Flow::Go(route) => self.navigate(route),
            Flow::LoggedIn(user) => self.logged_in(user),
            Flow::Quit => self.request_quit(),
        }
    }

    /// Quits, asking first when a form holds unsaved input.
    pub fn request_quit(&mut self) {
        let typed_in_lock = self.lock.as_ref().is_some_and(LockScreen::is_dirty);
        // Before login the login form is the only form; once in, what it held is spent.
        let typed_at_login = self.session.is_none() && self.screens.login.has_input();
        if self.screens.any_dirty() || typed_in_lock || typed_at_login {
            self.overlay = Some(Overlay::QuitConfirm(QuitConfirm));
        } else {
            self.quit = true;
        }
    }

    pub fn navigate(&mut self, route: Route) {
        if self.session.is_none() && route != Route::Login {
            return;
        }
        // Each role stays on its own screens (the services refuse the rest anyway): a screen
        // of the other role's leads home ("back to my accounts" is the lookup for staff).
        let route = match self.session.as_ref() {
            Some(session) if !route.allowed(session.user.role) => {
                Route::home_for(session.user.role)
            }
            _ => route,
        };
        if route != self.route {
            self.notice = None;
        }
        self.route = route;
        let (mut ctx, screens, _) = self.ctx(Target::Screen(route));
        screens.get_mut(route).on_enter(&mut ctx);
    }

    fn logged_in(&mut self, user: SessionUser) {
        tracing::info!(user = user.id, role = user.role.as_str(), "logged in");
        self.notice = Some(Notice::Success(format!("{}{}.", s::WELCOME, user.name)));
        let home = Route::home_for(user.role);
        let staff = user.role.is_staff();
        self.session = Some(Session { user });
        self.data = Data::default();
        self.last_activity = self.clock.now();
        if !staff {
            let (mut ctx, _, _) = self.ctx(Target::Accounts);
            ctx.refresh_accounts();
        }
        self.navigate(home);
    }

    fn on_worker(&mut self, message: WorkerMessage) {
        match message {
            WorkerMessage::DatabaseDown(_) => {
                self.db_down = true;
            }
            WorkerMessage::DatabaseUp => {
                let was_down = self.db_down;
                self.db_down = false;
                if was_down {
                    self.notice = Some(Notice::Success(s::DB_BACK.into()));
                    let (mut ctx, _, _) = self.ctx(Target::Accounts);
                    ctx.refresh_accounts();
                }
            }
            WorkerMessage::Node(node) => {
                if let Some(old) = self.node.replace(node.clone()) {
                    self.notice = Some(Notice::Success(format!(
                        "{}{node} ({old}{}",
                        s::DB_NODE_MOVED,
                        s::DB_NODE_LEFT
                    )));
                }
            }
            WorkerMessage::Progress { id, done, total } => {
                if let Some(Target::Screen(route)) = self.outbox.pending.get(&id).copied() {
                    self.screens.get_mut(route).on_progress(id, done, total);
                }
            }
            WorkerMessage::Crashed(what) => {
                self.fatal = Some(what);
                self.quit = true;
            }
            WorkerMessage::Reply(reply) => {
                let Some(target) = self.outbox.pending.remove(&reply.id) else {
                    tracing::warn!(
                        id = reply.id,
                        answer = reply.body.name(),
                        "answer to a request the app did not make, ignored"
                    );
                    return;
                };
                if reply.body.bank_error().is_some_and(is_connection_lost) {
                    self.db_down = true;
                } else if self.db_down && reply.body.bank_error().is_none() {
                    self.db_down = false;
                }
                self.on_reply(target, reply.id, reply.body);
            }
        }
    }

    fn on_reply(&mut self, target: Target, id: RequestId, body: ReplyBody) {
        match target {
            Target::Accounts => self.on_accounts(body),
            Target::Screen(route) => {
                let (mut ctx, screens, _) = self.ctx(target);
                let flow = screens.get_mut(route).on_reply(id, body, &mut ctx);
                self.apply(flow);
                self.run_deferred(route);
            }
            Target::Palette => self.palette_reply(id, body),
            Target::Badge => self.badge_reply(body),
            Target::Lock => {
                let session_id = self.session.as_ref().map(|s| s.user.id);
                let (mut ctx, _, lock) = self.ctx(target);
                let Some(screen) = lock.as_mut() else {
                    tracing::warn!(
                        id,
                        answer = body.name(),
                        "answer for the lock screen after it closed, ignored"
                    );
                    return;
                };
                if screen.on_reply(id, body, session_id, &mut ctx) {
                    self.lock = None;
                    self.last_activity = self.clock.now();
                }
            }
        }
    }

    fn on_accounts(&mut self, body: ReplyBody) {
        let ReplyBody::Accounts(result) = body else {
            tracing::warn!(
                answer = body.name(),
                "answer of an unexpected kind to the account list, ignored"
            );
            return;
        };
        match result {
            Ok(accounts) => {
                let selected = self.data.selected_account().map(|a| a.number.clone());
                self.data.accounts = accounts;
                self.data.loaded = true;
                self.data.selected = 0;
                if let Some(number) = selected {
                    self.data.select(number.as_str());
                }
                for route in Route::ALL {
                    let (mut ctx, screens, _) = self.ctx(Target::Screen(route));
                    screens.get_mut(route).on_accounts(&mut ctx);
                }
            }
            Err(error) => self.notice = Some(Notice::Error(describe(&error))),
        }
    }

    /// How long the app has seen no key (tests use it with a manual clock).
    pub fn idle_for(&self) -> Duration {
        self.clock
            .now()
            .saturating_duration_since(self.last_activity)
    }
}
