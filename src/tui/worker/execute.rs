//! What the worker does for each job: the bank call behind it, and the files it writes.

use std::path::PathBuf;

use crate::bulk::{self, PostError, PostOptions};
use crate::domain::AccountNumber;
use crate::services::{
    AccountStatus, Actor, Approval, BankResult, HistoryEntry, DEFAULT_BATCH, MAX_PAGE,
};

use super::run::Worker;
use super::{
    BulkPreview, BulkSummary, CashKind, DayClosed, ExportError, Exported, Job, ReplyBody, Trend,
};

impl Worker {
    pub(super) fn run_job(&mut self, job: Job) -> ReplyBody {
        match job {
            Job::Login { email, password } | Job::Reauthenticate { email, password } => {
                ReplyBody::Session(
                    self.bank()
                        .and_then(|b| b.people().authenticate(&email, &password)),
                )
            }
            Job::ChangePasswordAtLogin {
                email,
                current,
                new,
            } => ReplyBody::Session(
                self.bank()
                    .and_then(|b| b.people().change_password_at_login(&email, &current, &new)),
            ),
            Job::Accounts { actor, owner } => {
                ReplyBody::Accounts(self.bank().and_then(|b| b.money().accounts(&actor, &owner)))
            }
            Job::History {
                actor,
                account,
                before,
                limit,
            } => ReplyBody::History {
                account: account.clone(),
                before,
                result: self
                    .bank()
                    .and_then(|b| b.money().history(&actor, &account, before, limit)),
            },
            Job::Trends {
                actor,
                accounts,
                points,
            } => ReplyBody::Trends(self.trends(&actor, &accounts, points)),
            Job::Recipient { number } => ReplyBody::Recipient {
                number: number.as_str().to_string(),
                result: self.bank().and_then(|b| b.money().recipient_name(&number)),
            },
            Job::Transfer { actor, request } => ReplyBody::Transfer(
                self.bank()
                    .and_then(|b| b.money().transfer(&actor, &request, None)),
            ),
            Job::Profile { actor, email } => {
                ReplyBody::Profile(self.bank().and_then(|b| b.people().profile(&actor, &email)))
            }
            Job::UpdateProfile {
                actor,
                email,
                changes,
            } => ReplyBody::Profile(
                self.bank()
                    .and_then(|b| b.people().update_profile(&actor, &email, &changes)),
            ),
            Job::ChangePassword {
                actor,
                current,
                new,
            } => ReplyBody::PasswordChanged(
                self.bank()
                    .and_then(|b| b.people().change_password(&actor, &current, &new)),
            ),
            Job::ExportHistory {
                actor,
                account,
                path,
            } => ReplyBody::Exported(self.export(&actor, &account, path)),
            Job::SearchCustomers { actor, query } => ReplyBody::Customers {
                result: self
                    .bank()
                    .and_then(|b| b.people().search_customers(&actor, &query)),
                query,
            },
            // The bank's own limit (its policy in the database), once connected.
            Job::Limits => {
                let fallback = self.config.bank.approval_limit;
                ReplyBody::Limits {
                    approval_limit: self.bank().map_or(fallback, |b| b.config().approval_limit),
                }
            }
            Job::RegisterUser { actor, input } => ReplyBody::Profile(
                self.bank()
                    .and_then(|b| b.people().register_user(&actor, input, None)),
            ),
            Job::OpenAccount {
                actor,
                owner,
                currency,
            } => ReplyBody::Account(
                self.bank()
                    .and_then(|b| b.money().open_account(&actor, &owner, currency)),
            ),
            Job::SetAccountStatus {
                actor,
                account,
                status,
                approval,
            } => ReplyBody::Account(self.bank().and_then(|b| match &approval {
                Some(approval) if status == AccountStatus::Open => {
                    b.money().unfreeze_approved(&actor, &account, approval)
                }
                _ => b.money().set_account_status(&actor, &account, status),
            })),
            Job::UnlockUser { actor, email } => ReplyBody::Done(
                self.bank()
                    .and_then(|b| b.people().unlock_user(&actor, &email)),
            ),
            Job::ResetPassword {
                actor,
                email,
                password,
            } => ReplyBody::Done(
                self.bank()
                    .and_then(|b| b.people().reset_password(&actor, &email, &password, None)),
            ),
            Job::Drawer { actor } => {
                ReplyBody::Drawer(self.bank().and_then(|b| b.desk().drawer(&actor)))
            }
            Job::OpenDrawer {
                actor,
                currency,
                count,
                approval,
            } => ReplyBody::DrawerSession(self.bank().and_then(|b| {
                b.desk()
                    .open_drawer(&actor, currency, &count, approval.as_ref())
            })),
            Job::CloseDrawer {
                actor,
                session,
                count,
            } => ReplyBody::DrawerSession(
                self.bank()
                    .and_then(|b| b.desk().close_drawer(&actor, session, &count)),
            ),
            Job::DrawerCash {
                actor,
                direction,
                count,
                approval,
                key,
            } => ReplyBody::DrawerSession(self.bank().and_then(|b| {
                b.desk()
                    .move_drawer_cash(&actor, direction, &count, &approval, &key)
            })),
            Job::Vault { actor, currency } => {
                ReplyBody::Vault(self.bank().and_then(|b| b.desk().vault(&actor, currency)))
            }
            Job::OpenVault {
                actor,
                currency,
                count,
            } => ReplyBody::VaultDay(
                self.bank()
                    .and_then(|b| b.desk().open_vault(&actor, currency, &count)),
            ),
            Job::CountVault {
                actor,
                currency,
                count,
            } => ReplyBody::VaultDay(
                self.bank()
                    .and_then(|b| b.desk().count_vault(&actor, currency, &count)),
            ),
            Job::EndOfDay { actor, folder } => ReplyBody::EndOfDay(
                self.bank()
                    .and_then(|b| b.desk().end_of_day(&actor, None))
                    .map(|report| {
                        let written = crate::day_report::write_eod(&report, &folder)
                            .map(|(text, _pdf)| text)
                            .map_err(|e| e.to_string());
                        DayClosed {
                            report: Box::new(report),
                            written,
                        }
                    }),
            ),
            Job::Cash {
                actor,
                kind,
                request,
                approval,
            } => ReplyBody::Money(self.bank().and_then(|b| match kind {
                CashKind::Deposit => b.money().deposit(&actor, &request, approval.as_ref()),
                CashKind::Withdrawal => b.money().withdraw(&actor, &request, approval.as_ref()),
            })),
            Job::RequestApproval { actor, operation } => ReplyBody::ApprovalRequest(
                self.bank()
                    .and_then(|b| b.desk().request_approval(&actor, &operation)),
            ),
            Job::ApprovalStatus { actor, id } => ReplyBody::ApprovalRequest(
                self.bank()
                    .and_then(|b| b.desk().approval_request(&actor, id)),
            ),
            Job::WithdrawApproval { actor, id } => ReplyBody::Done(
                self.bank()
                    .and_then(|b| b.desk().withdraw_approval(&actor, id)),
            ),
            Job::PendingApprovals { actor } => ReplyBody::PendingApprovals(
                self.bank().and_then(|b| b.desk().pending_approvals(&actor)),
            ),
            Job::DecideApproval {
                actor,
                id,
                password,
                decision,
            } => ReplyBody::ApprovalRequest(
                self.bank()
                    .and_then(|b| b.desk().decide_approval(&actor, id, &password, &decision)),
            ),
            Job::CounterTransfer {
                actor,
                request,
                approval,
            } => ReplyBody::Money(
                self.bank()
                    .and_then(|b| b.money().transfer(&actor, &request, approval.as_ref())),
            ),
            Job::Reverse {
                actor,
                reference,
                reason,
                approval,
            } => ReplyBody::Money(self.bank().and_then(|b| {
                b.money()
                    .reverse(&actor, reference, &reason, approval.as_ref())
            })),
            Job::WriteReceipt { path, text } => ReplyBody::Receipt(write_text(path, &text)),
            Job::Statement {
                actor,
                account,
                month,
                path,
            } => ReplyBody::StatementWritten(self.statement(&actor, &account, month, path)),
            Job::NextPaymentFile {
                folder,
                current,
                forward,
            } => ReplyBody::PaymentFile(super::next_payment_file(&folder, &current, forward)),
            Job::BulkPreview { actor, path, from } => {
                ReplyBody::BulkPreview(self.bulk_preview(&actor, path, &from))
            }
            Job::BulkPost {
                actor,
                path,
                from,
                approval,
                digest,
            } => ReplyBody::BulkPosted(self.bulk_post(
                &actor,
                &path,
                from,
                approval.as_ref(),
                digest,
            )),
        }
    }

    /// Writes the month's statement of the account as a PDF.
    fn statement(
        &mut self,
        actor: &Actor,
        account: &AccountNumber,
        month: crate::domain::Month,
        path: PathBuf,
    ) -> Result<PathBuf, ExportError> {
        let statement = self.bank()?.money().statement(actor, account, month)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::files::write(&path, crate::pdf::statement_pdf(&statement))?;
        Ok(path)
    }

    /// Reads and checks a payment file (on this thread: the screen never waits for a disk).
    fn bulk_preview(
        &mut self,
        actor: &Actor,
        path: PathBuf,
        from: &AccountNumber,
    ) -> Result<BulkPreview, PostError> {
        let check = bulk::check_file(&path, Some(from))?;
        let limit = self.bank()?.config().approval_limit;
        // Staff above the limit; the set-up actor (tests, tools) never needs a supervisor.
        let needs_approval =
            actor.is_staff() && matches!(actor, Actor::User(_)) && check.total > limit;
        Ok(BulkPreview::of(path, &check, needs_approval))
    }

    /// Posts a payment file's valid lines, telling the app how far it got after each batch.
    fn bulk_post(
        &mut self,
        actor: &Actor,
        path: &std::path::Path,
        from: AccountNumber,
        approval: Option<&Approval>,
        digest: [u8; 32],
    ) -> Result<BulkSummary, PostError> {
        let report = self.progress_reporter();
        // Read once more, into a private copy: posted only if these are the previewed bytes.
        let prepared = bulk::Prepared::read(path, Some(from))?;
        let options = PostOptions {
            expect_digest: Some(digest),
            dry_run: false,
            // The person saw the invalid lines in the preview and chose to post the rest.
            skip_invalid: true,
            batch_size: DEFAULT_BATCH,
        };
        let posted = bulk::post_file(self.bank()?, actor, approval, &prepared, &options, report)?;
        Ok(BulkSummary {
            done: posted.tally.done,
            replayed: posted.tally.replayed,
            refused: posted.tally.refused,
            invalid: posted.check.invalid,
            moved: posted.tally.moved,
            results: posted.results,
            seconds: posted.seconds,
        })
    }

    /// The last `points` balances of each account, from the history service.
    fn trends(
        &mut self,
        actor: &Actor,
        accounts: &[AccountNumber],
        points: u32,
    ) -> BankResult<Vec<Trend>> {
        let bank = self.bank()?;
        accounts
            .iter()
            .map(|account| {
                let page = bank.money().history(actor, account, None, points)?;
                Ok(Trend::from_history(account, &page))
            })
            .collect()
    }

    /// Reads the whole history a page at a time and writes it as CSV.
    fn export(
        &mut self,
        actor: &Actor,
        account: &AccountNumber,
        path: PathBuf,
    ) -> Result<Exported, ExportError> {
        let bank = self.bank()?;
        let mut entries: Vec<HistoryEntry> = Vec::new();
        let mut before = None;
        loop {
            let page = bank.money().history(actor, account, before, MAX_PAGE)?;
            let full = page.len() == MAX_PAGE as usize;
            before = page.last().map(|e| e.id);
            entries.extend(page);
            if !full || before.is_none() {
                break;
            }
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::files::write(&path, crate::export::history_csv(&entries))?;
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        Ok(Exported {
            path,
            movements: entries.len(),
        })
    }
}

/// Writes a text file (creating its folder) and answers its full path.
fn write_text(path: PathBuf, text: &str) -> Result<PathBuf, ExportError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::files::write(&path, text)?;
    Ok(std::fs::canonicalize(&path).unwrap_or(path))
}
