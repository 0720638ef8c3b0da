//! The bank's services: its rules, permissions and transactions. Screens and the CLI call
//! these with validated domain types; nothing here knows about screens or writes SQL.

mod accounts;
mod acknowledged;
mod actor;
mod approval_requests;
mod approvals;
mod areas;
mod audit;
mod audit_rules;
mod auth;
pub use auth::hash_cost;
mod authz;
mod bank;
mod batch;
mod bulk;
mod chain;
mod chain_audit;
mod checkpoint;
mod cluster_guard;
mod ctr;
mod demo;
mod devices;
mod drawer;
mod drawer_cash;
mod drawer_limit;
mod eod;
mod error;
mod exchange;
mod fx;
mod fx_positions;
mod history;
mod money;
mod over_short;
mod policy;
mod posting;
mod reversal;
mod seal;
mod search;
mod sessions;
mod statement;
mod transfer;
mod users;
mod vault;
mod vault_audit;
mod views;
mod witness;

pub use accounts::Payee;
pub use actor::{Actor, SessionUser};
pub use approval_requests::{
    ApprovalOperation, ApprovalRequestView, Decision, PaymentFile, RequestStatus,
    APPROVAL_LIFETIME_MINUTES,
};
pub use areas::{Batches, Desk, Ledger, Money, People};
pub use audit::AuditProgress;
pub use bank::{Bank, BankConfig};
pub use batch::{BatchApproval, BatchOutcome, BatchTransfer, DEFAULT_BATCH, MAX_BATCH};
pub use cluster_guard::silent_rollbacks;
pub use ctr::{ctr_line, CtrCustomer, CtrReport};
pub use demo::{DemoLogin, DemoReport};
pub use devices::{ActiveDevice, DeviceView};
pub use drawer::DrawerView;
pub use drawer_cash::VaultTransfer;
pub use drawer_limit::DrawerLimit;
pub use eod::{CashTotal, DeviceTotal, EodDrawer, EodReport, KindTotal};
pub use error::{ApprovalNeed, BankError, BankResult, ErrorClass};
pub use exchange::{CashExchange, ExchangeResult, ExchangeTransfer};
pub use fx::{CurrencyView, Fx, QuoteView, RateView, BASE_CURRENCY};
pub use fx_positions::CurrencyPosition;
pub use history::MAX_PAGE;
pub use money::{CashRequest, TransferRequest};
pub use policy::{APPROVAL_LIMIT, BANK_NAME, BCRYPT_COST, DRAWER_LIMIT, IDLE_SECONDS};
pub use seal::SealReport;
pub use search::CustomerHit;
pub use sessions::LoginSession;
pub use statement::{LineRate, Statement};
pub use users::{NewUserInput, ProfileChanges};
pub use vault::{VaultCountView, VaultMoveView, VaultView};
pub use views::{
    AccountStatus, AccountView, Approval, AuditCheck, AuditEntryView, AuditReport, AuditScope,
    HistoryEntry, MoneyResult, MovementKind, Party, UserProfile,
};
