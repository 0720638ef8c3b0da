//! The command line, as clap sees it. The contract scripts rely on; keep it stable.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::{
    AccountNumber, Amount, CashCount, Currency, Email, IdempotencyKey, Month, QuoteId, Rate, Reason,
};

#[derive(Parser, Debug)]
#[command(
    name = "teller",
    version,
    about = "A bank teller workstation: full-screen app and scriptable CLI over a MySQL ledger",
    after_help = "Without a command, opens the full-screen app.\n\
                  DATABASE_URL (the app account) comes from --database-url, the environment or a .env file;\n\
                  TELLER_OWNER_URL (the owner account) is used by migrate, demo, bench and bootstrap-admin only.\n\
                  Every other command acts as a logged-in person: --user/TELLER_USER with TELLER_PASSWORD\n\
                  (or a prompt), or the session of `teller login`.\n\
                  Exit codes: 0 done, 1 refused by a bank rule, 2 invalid input, 3 database unavailable,\n\
                  4 authentication required or failed."
)]
pub struct Cli {
    /// The app account: mysql://user:password@host:port/database
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// The owner account (schema changes, grants), for migrate, demo, bench, bootstrap-admin.
    #[arg(long, global = true, env = "TELLER_OWNER_URL", hide_env_values = true)]
    pub owner_url: Option<String>,

    /// Who runs the command (password in TELLER_PASSWORD, else a prompt on a terminal).
    #[arg(long, global = true, env = "TELLER_USER")]
    pub user: Option<String>,

    /// A supervisor approving this operation (password in TELLER_APPROVER_PASSWORD, else a
    /// prompt on a terminal).
    #[arg(long, global = true)]
    pub approver: Option<String>,

    /// Print the result (or the error) as JSON on standard output, for scripts.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database if needed, apply pending migrations and set up the app account
    /// (owner account).
    Migrate,
    /// Load the demo bank (idempotent) and print its logins (owner account).
    Demo,
    /// Create the bank's first admin; the password is read from the first line of standard
    /// input. Refused once an admin exists (owner account).
    BootstrapAdmin {
        #[arg(long, value_parser = Email::parse)]
        email: Email,
        #[arg(long, default_value = "Administrator")]
        name: String,
        #[arg(long)]
        surname: Option<String>,
        /// The profile can be completed later with `teller user update`.
        #[arg(long, default_value = "18")]
        age: String,
        #[arg(long, default_value = "Unknown")]
        country: String,
    },
    /// Log in at this terminal: later commands act as you until `teller logout`, 12 hours, or
    /// the idle lock.
    Login,
    /// End this terminal's session.
    Logout,
    /// Who the commands act as.
    Whoami,
    /// The cash drawer of the person logged in: open with a counted float, show, close blind.
    #[command(subcommand)]
    Drawer(DrawerCommand),
    /// Create, show and change users.
    #[command(subcommand)]
    User(UserCommand),
    /// Open, list, freeze, unfreeze and close accounts.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Show an account and its balance.
    Balance {
        #[arg(value_parser = AccountNumber::parse)]
        account: AccountNumber,
    },
    /// Cash paid in at the counter.
    Deposit(CashArgs),
    /// Cash paid out at the counter.
    Withdraw(CashArgs),
    /// Move money between two accounts; between two currencies at a quote (`teller fx
    /// quote`), AMOUNT in the payer's currency.
    Transfer {
        #[arg(value_parser = AccountNumber::parse)]
        from: AccountNumber,
        #[arg(value_parser = AccountNumber::parse)]
        to: AccountNumber,
        #[arg(allow_hyphen_values = true, value_parser = Amount::parse_any)]
        amount: Amount,
        /// The quote of a transfer between two currencies.
        #[arg(long, value_parser = QuoteId::parse)]
        quote: Option<QuoteId>,
        #[command(flatten)]
        common: MoneyOptions,
    },
    /// Cash for cash at the counter: the customer pays --pay CURRENCY AMOUNT into your drawer
    /// of that currency and gets --get CURRENCY out of your drawer of that one (both open), at
    /// --quote ID or the rate in force.
    Exchange {
        #[arg(long, num_args = 2, value_names = ["CURRENCY", "AMOUNT"], required = true)]
        pay: Vec<String>,
        #[arg(long, value_parser = Currency::parse)]
        get: Currency,
        #[arg(long, value_parser = QuoteId::parse)]
        quote: Option<QuoteId>,
        /// Idempotency key: the same key with the same exchange is applied once.
        #[arg(long, value_parser = IdempotencyKey::parse)]
        key: Option<IdempotencyKey>,
        #[arg(long)]
        memo: Option<String>,
        #[command(flatten)]
        id: IdArgs,
    },
    /// The currencies the bank trades: add one (supervisors), list them.
    #[command(subcommand)]
    Currency(CurrencyCommand),
    /// Exchange rates and quotes.
    #[command(subcommand)]
    Fx(FxCommand),
    /// Undo a movement made today with the opposite movement (a reason is required).
    Reverse {
        reference: i64,
        #[arg(long, value_parser = Reason::parse)]
        reason: Reason,
    },
    /// Find customers by name, surname, email, phone or account number.
    Search { query: String },
    /// An account's movements, newest first.
    History {
        #[arg(value_parser = AccountNumber::parse)]
        account: AccountNumber,
        /// How many movements (at most 10000).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Only movements older than this reference (for paging).
        #[arg(long)]
        before: Option<i64>,
        #[arg(long, conflicts_with = "json")]
        csv: bool,
    },
    /// An account's monthly statement: opening balance, every movement with the balance after
    /// it, closing balance, money in and out.
    Statement {
        #[arg(value_parser = AccountNumber::parse)]
        account: AccountNumber,
        /// The month, YYYY-MM (UTC).
        #[arg(long, value_parser = Month::parse)]
        month: Month,
        /// Write it as a PDF to this file.
        #[arg(long, conflicts_with_all = ["csv", "json"])]
        pdf: Option<std::path::PathBuf>,
        #[arg(long, conflicts_with = "json")]
        csv: bool,
    },
    /// Check every invariant and rule of the ledger for the rows since the last checkpoint
    /// (the daily audit); exits 0 only if all hold.
    Audit {
        /// Check every row from the first, and the last checkpoint itself (long: shows a
        /// progress bar and the rate).
        #[arg(long)]
        full: bool,
        /// Also check that every key in this file (one per line, `-` for standard input:
        /// receipts a workstation or script kept) moved money exactly once, naming each that
        /// is missing, as after a crash of every cluster node.
        #[arg(long, value_name = "FILE")]
        acknowledged: Option<std::path::PathBuf>,
    },
    /// Extend the hash chain over the journal and the audit log to the newest rows (admins);
    /// prints the chain head to keep outside the database.
    Seal,
    /// The newest entries of the audit log.
    Log {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Measure transfers per second on a scratch database of the configured server.
    Bench(BenchArgs),
    /// Bulk payments from a CSV file (see docs/bulk.md).
    #[command(subcommand)]
    Batch(BatchCommand),
    /// The branch's reports (staff).
    #[command(subcommand)]
    Report(ReportCommand),
    /// The vault: open the day with a blind count, count it at the end, show it (supervisors).
    #[command(subcommand)]
    Vault(VaultCommand),
    /// Approval requests tellers sent: list, approve, reject (supervisors).
    #[command(subcommand)]
    Approvals(ApprovalsCommand),
    /// The workstations that may reach the branch server, by their SSH keys (supervisors).
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Serve the app and the CLI over SSH to registered devices (the branch server; run it as
    /// the service's own user, the only one that can read the database password).
    Serve(crate::serve::ServeArgs),
    /// Close the business day (supervisors): refused while a drawer is open or a vault is
    /// not counted; writes the day's proof (text and PDF) to the export folder.
    Eod {
        /// YYYY-MM-DD (UTC); today when not given.
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CurrencyCommand {
    /// Trade a currency (supervisors): accounts, drawers and exchanges may use it.
    Add {
        #[arg(value_parser = Currency::parse)]
        code: Currency,
        /// Banknotes and coins the drawers count, e.g. "100 50 20 10 5 1 0.50" (defaults
        /// for USD, EUR, GBP, JPY, CHF and a few others).
        #[arg(long)]
        denominations: Option<String>,
    },
    /// The currencies the bank trades.
    List,
}

#[derive(Subcommand, Debug)]
pub enum FxCommand {
    /// Exchange rates (`rate set`, supervisors).
    #[command(subcommand)]
    Rate(RateCommand),
    /// The rates in force and those set to come.
    Rates,
    /// What AMOUNT of FROM buys of TO now: a quote, used once, for 60 seconds.
    Quote {
        #[arg(value_parser = Currency::parse)]
        from: Currency,
        #[arg(value_parser = Currency::parse)]
        to: Currency,
        #[arg(allow_hyphen_values = true, value_parser = Amount::parse_any)]
        amount: Amount,
        /// For cash paid out at the counter: TO's amount rounded down to its smallest banknote
        /// or coin.
        #[arg(long)]
        cash: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RateCommand {
    /// Set the bank's rates for BASE in QUOTE: --buy is what it pays for one BASE, --sell what
    /// it asks for one (sell above buy).
    Set {
        #[arg(value_parser = Currency::parse)]
        base: Currency,
        #[arg(value_parser = Currency::parse)]
        quote: Currency,
        #[arg(long, value_parser = Rate::parse)]
        buy: Rate,
        #[arg(long, value_parser = Rate::parse)]
        sell: Rate,
        /// From when (RFC 3339, e.g. 2026-12-07T08:00:00Z); now when not given.
        #[arg(long)]
        valid_from: Option<String>,
        /// Until when (RFC 3339); until replaced when not given.
        #[arg(long)]
        valid_until: Option<String>,
    },
}

/// Cash counted between a drawer and the vault.
#[derive(Args, Debug)]
pub struct DrawerMove {
    #[arg(long, value_parser = CashCount::parse)]
    pub count: CashCount,
    /// The drawer's currency, when drawers of several currencies are open.
    #[arg(long, value_parser = Currency::parse)]
    pub currency: Option<Currency>,
    /// Idempotency key: the same key with the same step is applied once.
    #[arg(long, value_parser = IdempotencyKey::parse)]
    pub key: Option<IdempotencyKey>,
}

/// A count of the vault by denomination.
#[derive(Args, Debug)]
pub struct VaultCount {
    #[arg(long, value_parser = CashCount::parse)]
    pub count: CashCount,
    #[arg(long, default_value = "USD", value_parser = Currency::parse)]
    pub currency: Currency,
}

#[derive(Subcommand, Debug)]
pub enum VaultCommand {
    /// Open the vault's day with a blind count by denomination, e.g. --count "100x500,50x200".
    Open(VaultCount),
    /// Count the vault (blind) once the day's drawers are closed.
    Count(VaultCount),
    /// Today's vault: opening count, holdings by denomination, every movement.
    Show {
        #[arg(long, default_value = "USD", value_parser = Currency::parse)]
        currency: Currency,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Large cash (CTR): the day's customers above 10,000.00 cash in or out, with their
    /// recorded IDs; possible structuring flagged.
    Ctr {
        /// YYYY-MM-DD (UTC).
        #[arg(long)]
        date: String,
        #[arg(long, conflicts_with = "json")]
        csv: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum BatchCommand {
    /// Post every line of FILE (columns to, amount, memo, reference, from): each line once,
    /// however often the file is posted; results in FILE.results.csv.
    Post {
        file: std::path::PathBuf,
        /// The account that pays every line (else each line's `from` column).
        #[arg(long, value_parser = AccountNumber::parse)]
        from: Option<AccountNumber>,
        /// Check everything, funds included, and move nothing.
        #[arg(long)]
        dry_run: bool,
        /// Post the valid lines even when others are invalid (they are reported).
        #[arg(long)]
        skip_invalid: bool,
        /// Transfers per database transaction (1 to 8190).
        #[arg(long, default_value_t = crate::services::DEFAULT_BATCH)]
        batch_size: usize,
        /// Above the limit, send the file to the supervisors and wait for their answer (a
        /// file with one paying account; the request id is printed on standard error).
        #[arg(long)]
        wait_approval: bool,
        /// How long --wait-approval waits, in seconds.
        #[arg(long, requires = "wait_approval", default_value_t = 600)]
        timeout: u64,
        /// The SHA-256 a preview (`--dry-run`) printed: a file whose bytes differ now is
        /// refused (bad_file) before anything moves.
        #[arg(long, value_name = "HEX")]
        expect_digest: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum DrawerCommand {
    /// Open your drawer with a float from the vault, counted by denomination, e.g.
    /// --count "100x10,20x25,0.25x40"; a supervisor approves it (--approver).
    Open {
        #[arg(long, value_parser = CashCount::parse)]
        count: CashCount,
        #[arg(long, default_value = "USD", value_parser = Currency::parse)]
        currency: Currency,
    },
    /// Your open drawer (while it is open, the expected cash is not shown: the close is blind);
    /// with drawers of several currencies open, the oldest, or the one in --currency.
    Show {
        #[arg(long, value_parser = Currency::parse)]
        currency: Option<Currency>,
    },
    /// A cash drop: counted cash from your drawer to the vault (--approver).
    Drop(DrawerMove),
    /// A top-up: counted cash from the vault to your drawer (--approver).
    Topup(DrawerMove),
    /// Close your drawer with the counted cash (blind); the difference is posted as
    /// over/short and the counted cash goes back to the vault.
    Close {
        #[arg(long, value_parser = CashCount::parse)]
        count: CashCount,
        /// The session to close (default: the one open now); a count never closes another.
        #[arg(long, conflicts_with = "currency")]
        session: Option<i64>,
        /// The drawer of this currency, when drawers of several currencies are open.
        #[arg(long, value_parser = Currency::parse)]
        currency: Option<Currency>,
    },
}

#[derive(Args, Debug)]
pub struct CashArgs {
    #[arg(value_parser = AccountNumber::parse)]
    pub account: AccountNumber,
    #[arg(allow_hyphen_values = true, value_parser = Amount::parse_any)]
    pub amount: Amount,
    #[command(flatten)]
    pub common: MoneyOptions,
    #[command(flatten)]
    pub id: IdArgs,
}

/// The customer's identification: `--id-type passport --id-number X --id-country US
/// --id-expiry 2030-01-31`.
#[derive(Args, Debug)]
pub struct IdArgs {
    /// The customer's identification, needed above the large-cash line (10,000.00 a day; an
    /// exchange above 1,000.00): passport, id-card or driving-licence.
    #[arg(long, requires_all = ["id_number", "id_country", "id_expiry"])]
    pub id_type: Option<String>,
    /// The document's number; `-` reads it from standard input (or asks for it without echo
    /// on a terminal), so it stays out of `ps` and the shell's history.
    #[arg(long, requires = "id_type", allow_hyphen_values = true)]
    pub id_number: Option<String>,
    /// The issuing country's two-letter code.
    #[arg(long, requires = "id_type")]
    pub id_country: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long, requires = "id_type")]
    pub id_expiry: Option<String>,
}

#[derive(Args, Debug)]
pub struct MoneyOptions {
    /// Idempotency key: the same key with the same request is applied once.
    #[arg(long, value_parser = IdempotencyKey::parse)]
    pub key: Option<IdempotencyKey>,
    #[arg(long)]
    pub memo: Option<String>,
    /// Above the limit, send the operation to the supervisors and wait for their answer (the
    /// request id is printed on standard error).
    #[arg(long)]
    pub wait_approval: bool,
    /// How long --wait-approval waits, in seconds.
    #[arg(long, requires = "wait_approval", default_value_t = 600)]
    pub timeout: u64,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Register a user; the password is read from the first line of standard input.
    Create {
        #[arg(long, value_parser = Email::parse)]
        email: Email,
        #[arg(long)]
        name: String,
        #[arg(long)]
        surname: Option<String>,
        #[arg(long)]
        age: String,
        #[arg(long)]
        country: String,
        #[arg(long)]
        city: Option<String>,
        #[arg(long = "phone")]
        phones: Vec<String>,
        #[arg(long, value_enum, default_value_t = RoleArg::Customer)]
        role: RoleArg,
    },
    /// Show a user's profile.
    Show {
        #[arg(value_parser = Email::parse)]
        email: Email,
    },
    /// Change profile fields; an empty --surname or --city clears it.
    Update {
        #[arg(value_parser = Email::parse)]
        email: Email,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        surname: Option<String>,
        #[arg(long)]
        age: Option<String>,
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        city: Option<String>,
        #[arg(long = "email")]
        new_email: Option<String>,
        #[arg(long = "add-phone")]
        add_phones: Vec<String>,
        #[arg(long = "remove-phone")]
        remove_phones: Vec<String>,
    },
    /// Set a new password (first line of standard input). Your own: the current one comes
    /// from TELLER_PASSWORD (or a prompt). Someone else's (staff): a reset that lifts any
    /// lock-out and that its owner must change at the next login.
    Password {
        #[arg(value_parser = Email::parse)]
        email: Email,
    },
    /// Lift a lock-out after too many failed logins.
    Unlock {
        #[arg(value_parser = Email::parse)]
        email: Email,
    },
    /// Set a teller's own drawer limit (supervisors); without AMOUNT, back to the bank's.
    DrawerLimit {
        #[arg(value_parser = Email::parse)]
        email: Email,
        #[arg(value_parser = Amount::parse)]
        amount: Option<Amount>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AccountCommand {
    /// Open an account for a customer.
    Open {
        #[arg(value_parser = Email::parse)]
        email: Email,
        #[arg(long, default_value = "USD", value_parser = Currency::parse)]
        currency: Currency,
    },
    /// A customer's accounts.
    List {
        #[arg(value_parser = Email::parse)]
        email: Email,
    },
    /// Stop all money moving in or out of an account.
    Freeze {
        #[arg(value_parser = AccountNumber::parse)]
        account: AccountNumber,
    },
    /// Let money move again.
    Unfreeze {
        #[arg(value_parser = AccountNumber::parse)]
        account: AccountNumber,
    },
    /// Close an empty account for good.
    Close {
        #[arg(value_parser = AccountNumber::parse)]
        account: AccountNumber,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleArg {
    Customer,
    Teller,
    Admin,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Random pairs of accounts.
    Uniform,
    /// Every transfer touches the same account.
    Hot,
    /// One payer pays everyone else (a payroll file): the payer is in every transfer.
    Payroll,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    #[arg(long, default_value_t = 8)]
    pub workers: usize,
    /// Transfers per batch through the batched posting engine; 0 posts them one by one.
    #[arg(long, default_value_t = 0)]
    pub batch: usize,
    /// Stop after this many transfers instead of after --seconds (a sustained run).
    #[arg(long)]
    pub transfers: Option<u64>,
    /// Post a generated payroll file of this many lines end to end (parse, post, results
    /// file) with `batch post`, and report its time and the process's peak memory.
    #[arg(long)]
    pub payroll_file: Option<u64>,
    /// Time this many logins with an unknown email and as many with a wrong password, at the
    /// bank's bcrypt cost (12 unless the policy says otherwise), and compare their medians.
    #[arg(long)]
    pub login_timing: Option<u32>,
    /// Build a bank of this many movements over --days days with the batch engine, and time
    /// every everyday operation, the daily audit, end of day and the full audit at 0, a tenth
    /// and all of them (see BENCHMARKS.md).
    #[arg(long)]
    pub scale: Option<u64>,
    /// Run the minimal transfer (lock both rows, write both balances, append the journal row;
    /// no audit line, no checks) instead of the bank's, as the yardstick to compare with.
    #[arg(long)]
    pub reference: bool,
    /// On a cluster, answer each transaction without reading it back from a second node (the
    /// majority acknowledgement), to measure what that costs; never for real work.
    #[arg(long)]
    pub unacknowledged: bool,
    /// Leave the bank --scale built on the server, to time `teller audit --full` or an
    /// operation against it again; its database's name is printed at the end.
    #[arg(long, requires = "scale")]
    pub keep: bool,
    /// The days --scale spreads its movements over, ending today.
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    #[arg(long, value_enum, default_value_t = Pattern::Uniform)]
    pub pattern: Pattern,
    #[arg(long, default_value_t = 10_000)]
    pub accounts: usize,
    /// The global `--json`, for the benchmark's many reports.
    #[arg(skip)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum DeviceCommand {
    /// Register a workstation by its SSH public key (a second supervisor approves, as for
    /// staff: --approver).
    Add {
        name: String,
        /// The workstation's public key file (`.pub`), or `-` for standard input.
        #[arg(long)]
        key: std::path::PathBuf,
    },
    /// Every registered device, revoked ones too.
    List,
    /// Revoke a device: its key is refused from now on and its open sessions end.
    Revoke { name: String },
}

#[derive(Subcommand, Debug)]
pub enum ApprovalsCommand {
    /// The requests waiting for a supervisor, oldest first.
    List,
    /// Approve a request (your own password, as for any command).
    Approve { id: i64 },
    /// Reject a request, saying why.
    Reject {
        id: i64,
        #[arg(long, value_parser = Reason::parse)]
        reason: Reason,
    },
}
