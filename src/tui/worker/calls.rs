//! Every call a screen can make of the worker, declared once: the request (a `Job` variant
//! and its fields), the answer it gets (the `ReplyBody` variant and that variant's type, which
//! the compiler holds the code to) and what the worker does for it. A new bank call is one
//! entry here, and a `ReplyBody` variant when no answer of its kind exists yet.

use std::path::PathBuf;

use rust_decimal::Decimal;

use crate::bulk::PostError;
use crate::domain::{
    AccountNumber, Amount, CashCount, Currency, Email, IdempotencyKey, Month, Password, RatePair,
    Reason, Secret,
};
use crate::services::{
    AccountStatus, AccountView, Actor, Approval, ApprovalOperation, ApprovalRequestView,
    BankResult, CashExchange, CashRequest, CurrencyView, Decision, DrawerView, ExchangeResult,
    ExchangeTransfer, MoneyResult, NewUserInput, ProfileChanges, QuoteView, RateView, SessionUser,
    TransferRequest, UserProfile, VaultTransfer, VaultView,
};

use super::run::Worker;
use super::{
    BulkPreview, BulkSummary, CashKind, CustomerMatches, DayClosed, ExportError, Exported,
    HistoryPage, RecipientName, ReplyBody, Trend,
};

/// An answer that can say the bank refused the call (for the fake bank's scripted refusals).
#[cfg(feature = "test-support")]
trait Refusal: Sized {
    fn refusal(error: crate::services::BankError) -> Option<Self>;
}

#[cfg(feature = "test-support")]
impl<T, E: From<crate::services::BankError>> Refusal for Result<T, E> {
    fn refusal(error: crate::services::BankError) -> Option<Self> {
        Some(Err(error.into()))
    }
}

/// Answers that carry more than a result (what was asked), or no result at all.
macro_rules! cannot_be_refused {
    ($($answer:ty),+) => {
        $(#[cfg(feature = "test-support")]
        impl Refusal for $answer {
            fn refusal(_: crate::services::BankError) -> Option<Self> {
                None
            }
        })+
    };
}

cannot_be_refused!(
    HistoryPage,
    RecipientName,
    CustomerMatches,
    Decimal,
    Option<PathBuf>
);

/// Declares `Job` and `Worker::run_job` from the list below. Each entry: the job's variant and
/// fields, `=>` the reply's variant with the type it carries, and (`|w|`, the worker) the
/// code that makes that answer; the fields are in scope there by name.
macro_rules! calls {
    ($(
        $(#[$doc:meta])*
        $call:ident { $($(#[$field_doc:meta])* $field:ident: $ty:ty),* $(,)? }
            => $reply:ident($answer:ty) |$worker:ident| $body:block
    )+) => {
        /// A piece of work for the worker.
        #[derive(Debug, Clone, strum::IntoStaticStr)]
        #[strum(serialize_all = "snake_case")]
        pub enum Job {
            $($(#[$doc])* $call { $($(#[$field_doc])* $field: $ty),* },)+
        }

        #[cfg(feature = "test-support")]
        impl Job {
            /// This job's answer when the bank refuses it with `error`; None for a job whose
            /// answer cannot carry a refusal. The fake bank's scripted refusals use it.
            pub fn refused(&self, error: crate::services::BankError) -> Option<ReplyBody> {
                match self {
                    $(Job::$call { .. } => {
                        <$answer as Refusal>::refusal(error).map(ReplyBody::$reply)
                    })+
                }
            }
        }

        impl Worker {
            // Each call's code runs in a closure called at once: it is the scope of its `?`,
            // so a failed step becomes that call's answer.
            #[allow(clippy::redundant_closure_call)]
            pub(super) fn run_job(&mut self, job: Job) -> ReplyBody {
                match job {
                    $(Job::$call { $($field),* } => {
                        let $worker = &mut *self;
                        let answer = (|| -> $answer { $body })();
                        ReplyBody::$reply(answer)
                    })+
                }
            }
        }
    };
}

calls! {
    /// Log in.
    Login { email: Email, password: Secret } => Session(BankResult<SessionUser>) |w| {
        w.bank()?.people().authenticate(&email, &password)
    }
    /// Replace a password someone else set, then log in (the login's forced change).
    ChangePasswordAtLogin { email: Email, current: Secret, new: Password }
        => Session(BankResult<SessionUser>) |w| {
        w.bank()?.people().change_password_at_login(&email, &current, &new)
    }
    /// Check the password again to lift the idle lock.
    Reauthenticate { email: Email, password: Secret } => Session(BankResult<SessionUser>) |w| {
        w.bank()?.people().authenticate(&email, &password)
    }
    Accounts { actor: Actor, owner: Email } => Accounts(BankResult<Vec<AccountView>>) |w| {
        w.bank()?.money().accounts(&actor, &owner)
    }
    History { actor: Actor, account: AccountNumber, before: Option<i64>, limit: u32 }
        => History(HistoryPage) |w| {
        let result = w.bank().and_then(|b| b.money().history(&actor, &account, before, limit));
        HistoryPage { account, before, result }
    }
    /// The recent balances of several accounts at once (the home screen's trends): one
    /// request, however many accounts.
    Trends { actor: Actor, accounts: Vec<AccountNumber>, points: u32 }
        => Trends(BankResult<Vec<Trend>>) |w| {
        w.trends(&actor, &accounts, points)
    }
    /// Who owns an account, as "D. Julis", and the account's currency.
    Recipient { number: AccountNumber } => Recipient(RecipientName) |w| {
        let result = w.bank().and_then(|b| b.money().recipient(&number));
        RecipientName { number, result }
    }
    Transfer { actor: Actor, request: TransferRequest } => Transfer(BankResult<MoneyResult>) |w| {
        w.bank()?.money().transfer(&actor, &request, None)
    }
    Profile { actor: Actor, email: Email } => Profile(BankResult<UserProfile>) |w| {
        w.bank()?.people().profile(&actor, &email)
    }
    UpdateProfile { actor: Actor, email: Email, changes: ProfileChanges }
        => Profile(BankResult<UserProfile>) |w| {
        w.bank()?.people().update_profile(&actor, &email, &changes)
    }
    ChangePassword { actor: Actor, current: Secret, new: Password }
        => PasswordChanged(BankResult<()>) |w| {
        w.bank()?.people().change_password(&actor, &current, &new)
    }
    /// The whole history of an account as CSV, written to `path`.
    ExportHistory { actor: Actor, account: AccountNumber, path: PathBuf }
        => Exported(Result<Exported, ExportError>) |w| {
        w.export(&actor, &account, path)
    }
    // ---- the teller's workstation ----
    /// Customers matching what was typed in the lookup.
    SearchCustomers { actor: Actor, query: String } => Customers(CustomerMatches) |w| {
        let result = w.bank().and_then(|b| b.people().search_customers(&actor, &query));
        CustomerMatches { query, result }
    }
    /// The bank's rules the screens mirror (the approval limit): the bank's own policy once
    /// connected, the configured one before.
    Limits {} => Limits(Decimal) |w| {
        let fallback = w.config.bank.approval_limit;
        w.bank().map_or(fallback, |b| b.config().approval_limit)
    }
    RegisterUser { actor: Actor, input: NewUserInput } => Profile(BankResult<UserProfile>) |w| {
        w.bank()?.people().register_user(&actor, input, None)
    }
    OpenAccount { actor: Actor, owner: Email, currency: Currency }
        => Account(BankResult<AccountView>) |w| {
        w.bank()?.money().open_account(&actor, &owner, currency)
    }
    /// Freeze, or unfreeze with a supervisor's approval.
    SetAccountStatus {
        actor: Actor,
        account: AccountNumber,
        status: AccountStatus,
        approval: Option<Approval>,
    } => Account(BankResult<AccountView>) |w| {
        w.bank()?.money().set_account_status(&actor, &account, status, approval.as_ref())
    }
    UnlockUser { actor: Actor, email: Email } => Done(BankResult<()>) |w| {
        w.bank()?.people().unlock_user(&actor, &email)
    }
    ResetPassword { actor: Actor, email: Email, password: Password } => Done(BankResult<()>) |w| {
        w.bank()?.people().reset_password(&actor, &email, &password, None)
    }
    /// The teller's open drawer session, if any.
    /// The teller's open drawer of `currency`, or the oldest open one.
    Drawer { actor: Actor, currency: Option<Currency> }
        => Drawer(BankResult<Option<DrawerView>>) |w| {
        let drawers = w.bank()?.desk().drawers(&actor)?;
        Ok(match currency {
            Some(currency) => drawers.into_iter().find(|d| d.currency == currency),
            None => drawers.into_iter().next(),
        })
    }
    /// Opens the teller's drawer; the float comes from the vault, approved by a supervisor.
    OpenDrawer { actor: Actor, currency: Currency, count: CashCount, approval: Option<Approval> }
        => DrawerSession(BankResult<DrawerView>) |w| {
        w.bank()?.desk().open_drawer(&actor, currency, &count, approval.as_ref())
    }
    CloseDrawer { actor: Actor, session: i64, count: CashCount }
        => DrawerSession(BankResult<DrawerView>) |w| {
        w.bank()?.desk().close_drawer(&actor, session, &count)
    }
    /// A cash drop or a top-up, approved by a supervisor; the key makes a resend safe.
    DrawerCash {
        actor: Actor,
        direction: VaultTransfer,
        count: CashCount,
        approval: Approval,
        key: IdempotencyKey,
        currency: Currency,
    } => DrawerSession(BankResult<DrawerView>) |w| {
        let currency = Some(currency);
        w.bank()?.desk().move_drawer_cash(&actor, direction, &count, &approval, &key, currency)
    }
    /// The exchange rates in force and to come.
    Rates { actor: Actor } => Rates(BankResult<Vec<RateView>>) |w| {
        w.bank()?.fx().rates(&actor)
    }
    /// A pair's new rates, from now on (supervisors).
    SetRate { actor: Actor, pair: RatePair } => RateSet(BankResult<RateView>) |w| {
        w.bank()?.fx().set_rate(&actor, &pair, None, None)
    }
    /// The currencies the bank trades.
    Currencies { actor: Actor } => Currencies(BankResult<Vec<CurrencyView>>) |w| {
        w.bank()?.fx().currencies(&actor)
    }
    /// A quote for cash paid out at the counter.
    CashQuote { actor: Actor, pay: Currency, get: Currency, pays: Amount }
        => Quote(BankResult<QuoteView>) |w| {
        w.bank()?.fx().quote(&actor, pay, get, pays, true)
    }
    /// A quote for a transfer into an account of another currency.
    TransferQuote { actor: Actor, pay: Currency, get: Currency, pays: Amount }
        => Quote(BankResult<QuoteView>) |w| {
        w.bank()?.fx().quote(&actor, pay, get, pays, false)
    }
    /// A transfer into an account of another currency, at the quote shown.
    ExchangeTransfer { actor: Actor, request: ExchangeTransfer }
        => Exchanged(BankResult<ExchangeResult>) |w| {
        w.bank()?.fx().transfer(&actor, &request, None)
    }
    /// Cash for cash at the counter, at the quote shown.
    ExchangeCash { actor: Actor, request: CashExchange, approval: Option<Approval> }
        => Exchanged(BankResult<ExchangeResult>) |w| {
        w.bank()?.fx().exchange_cash(&actor, &request, approval.as_ref())
    }
    /// Today's vault of a currency (supervisors).
    Vault { actor: Actor, currency: Currency } => Vault(BankResult<Option<VaultView>>) |w| {
        w.bank()?.desk().vault(&actor, currency)
    }
    OpenVault { actor: Actor, currency: Currency, count: CashCount }
        => VaultDay(BankResult<VaultView>) |w| {
        w.bank()?.desk().open_vault(&actor, currency, &count)
    }
    CountVault { actor: Actor, currency: Currency, count: CashCount }
        => VaultDay(BankResult<VaultView>) |w| {
        w.bank()?.desk().count_vault(&actor, currency, &count)
    }
    /// Closes today's business day and writes its report into `folder`.
    EndOfDay { actor: Actor, folder: PathBuf } => EndOfDay(BankResult<DayClosed>) |w| {
        let report = w.bank()?.desk().end_of_day(&actor, None)?;
        let written = crate::day_report::write_eod(&report, &folder)
            .map(|(text, _pdf)| text)
            .map_err(|e| e.to_string());
        Ok(DayClosed { report: Box::new(report), written })
    }
    /// Cash in or out at the counter, approved by a supervisor when given.
    Cash { actor: Actor, kind: CashKind, request: CashRequest, approval: Option<Approval> }
        => Money(BankResult<MoneyResult>) |w| {
        let mut money = w.bank()?.money();
        match kind {
            CashKind::Deposit => money.deposit(&actor, &request, approval.as_ref()),
            CashKind::Withdrawal => money.withdraw(&actor, &request, approval.as_ref()),
        }
    }
    /// A transfer made by staff for a customer, approved by a supervisor when given.
    CounterTransfer { actor: Actor, request: TransferRequest, approval: Option<Approval> }
        => Money(BankResult<MoneyResult>) |w| {
        w.bank()?.money().transfer(&actor, &request, approval.as_ref())
    }
    Reverse { actor: Actor, reference: i64, reason: Reason, approval: Option<Approval> }
        => Money(BankResult<MoneyResult>) |w| {
        w.bank()?.money().reverse(&actor, reference, &reason, approval.as_ref())
    }
    /// A receipt written to a text file.
    WriteReceipt { path: PathBuf, text: String } => Receipt(Result<PathBuf, ExportError>) |_w| {
        super::execute::write_text(path, &text)
    }
    /// An account's statement for a month, written as a PDF to `path`.
    Statement { actor: Actor, account: AccountNumber, month: Month, path: PathBuf }
        => StatementWritten(Result<PathBuf, ExportError>) |w| {
        w.statement(&actor, &account, month, path)
    }
    /// The payment file after (or before) `current` in `folder` (Tab in the path field).
    NextPaymentFile { folder: PathBuf, current: String, forward: bool }
        => PaymentFile(Option<PathBuf>) |_w| {
        super::next_payment_file(&folder, &current, forward)
    }
    /// What a payment file holds (lines, total, invalid lines), before anything moves.
    BulkPreview { actor: Actor, path: PathBuf, from: AccountNumber }
        => BulkPreview(Result<BulkPreview, PostError>) |w| {
        w.bulk_preview(&actor, path, &from)
    }
    /// Posts a payment file's valid lines (progress comes as `WorkerMessage::Progress`).
    BulkPost {
        actor: Actor,
        path: PathBuf,
        from: AccountNumber,
        approval: Option<Approval>,
        /// The preview's SHA-256: a file changed since is refused before anything moves.
        digest: [u8; 32],
    } => BulkPosted(Result<BulkSummary, PostError>) |w| {
        w.bulk_post(&actor, &path, from, approval.as_ref(), digest)
    }
    /// Sends an operation to the supervisors.
    RequestApproval { actor: Actor, operation: ApprovalOperation }
        => ApprovalRequest(BankResult<ApprovalRequestView>) |w| {
        w.bank()?.desk().request_approval(&actor, &operation)
    }
    /// Where a sent request stands.
    ApprovalStatus { actor: Actor, id: i64 }
        => ApprovalRequest(BankResult<ApprovalRequestView>) |w| {
        w.bank()?.desk().approval_request(&actor, id)
    }
    /// The teller takes a request back.
    WithdrawApproval { actor: Actor, id: i64 } => Done(BankResult<()>) |w| {
        w.bank()?.desk().withdraw_approval(&actor, id)
    }
    /// The requests waiting for a supervisor.
    PendingApprovals { actor: Actor }
        => PendingApprovals(BankResult<Vec<ApprovalRequestView>>) |w| {
        w.bank()?.desk().pending_approvals(&actor)
    }
    /// A supervisor approves or rejects a request with their own password.
    DecideApproval { actor: Actor, id: i64, password: Secret, decision: Decision }
        => ApprovalRequest(BankResult<ApprovalRequestView>) |w| {
        w.bank()?.desk().decide_approval(&actor, id, &password, &decision)
    }
}
