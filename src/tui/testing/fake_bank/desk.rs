//! What the fake bank answers to the teller's workstation: lookups, accounts, the drawer, cash
//! and reversals, with the supervisor's approval where the bank asks for it.

use crate::services::ApprovalNeed;
use rust_decimal::Decimal;

use super::FakeBank;
use crate::domain::Role;
use crate::services::{
    AccountStatus, AccountView, Actor, Approval, BankError, DrawerView, MoneyResult, MovementKind,
    Party, UserProfile,
};
use crate::tui::testing::fixtures::{account_number, fixed_wall};
use crate::tui::worker::{CashKind, CustomerMatches, Job, ReplyBody};

impl FakeBank {
    /// The supervisor check, as the bank does it.
    pub(super) fn approve(&self, actor: &Actor, approval: &Approval) -> Result<(), BankError> {
        let (supervisor, password) = match approval {
            Approval::Typed {
                supervisor,
                password,
            } => (supervisor, password),
            Approval::Request(id) => {
                let approved = self
                    .approval_requests
                    .iter()
                    .any(|r| r.id == *id && r.status == crate::services::RequestStatus::Approved);
                return if approved {
                    Ok(())
                } else {
                    Err(BankError::ApprovalExpired)
                };
            }
        };
        let admin = self.staff.iter().find(|(u, _)| u.email == *supervisor);
        match admin {
            Some((u, _)) if actor.user_id() == Some(u.id) => Err(BankError::ApprovalRefused(
                "nobody can approve their own operation",
            )),
            Some((u, _)) if u.role != Role::Admin => Err(BankError::ApprovalRefused(
                "only a supervisor (admin) can approve",
            )),
            Some((_, pw)) if pw == password.expose() => Ok(()),
            _ => Err(BankError::ApprovalRefused(
                "the supervisor's email or password is incorrect",
            )),
        }
    }

    /// Checks the approval a limited operation needs.
    fn limit(
        &self,
        actor: &Actor,
        amount: Decimal,
        approval: Option<&Approval>,
    ) -> Result<(), BankError> {
        match approval {
            Some(approval) => self.approve(actor, approval),
            None if amount > self.approval_limit => {
                Err(BankError::ApprovalRequired(ApprovalNeed::AboveLimit {
                    limit: self.approval_limit,
                }))
            }
            None => Ok(()),
        }
    }

    /// Gives a result its reference.
    fn numbered(&mut self, result: MoneyResult) -> MoneyResult {
        let id = self.next_id;
        self.next_id += 1;
        MoneyResult { id, ..result }
    }

    /// What the open drawer should hold, as the bank counts it: the float, cash in and out,
    /// top-ups and drops.
    fn expected_cash(&self, drawer: &DrawerView) -> Decimal {
        drawer.opening_float + self.drawer_flows.0 - self.drawer_flows.1 + drawer.top_ups
            - drawer.drops
    }

    fn cash(
        &mut self,
        actor: &Actor,
        kind: CashKind,
        request: &crate::services::CashRequest,
        approval: Option<&Approval>,
    ) -> Result<MoneyResult, BankError> {
        let amount = request.amount.value();
        if kind == CashKind::Withdrawal {
            self.limit(actor, amount, approval)?;
        }
        let open = self.drawer.as_ref().is_some_and(|d| d.closed_at.is_none());
        // The drawer's limit, as the bank decides it: on what the drawer held before, the
        // cash-in that crosses it is warned, and the next needs a supervisor.
        let mut over_limit = false;
        if let Some(drawer) = self.drawer.as_ref().filter(|_| open) {
            if kind == CashKind::Deposit {
                let limit = crate::services::BankConfig::default().drawer_limit;
                let before = self.expected_cash(drawer);
                over_limit = before + amount > limit;
                if before > limit && approval.is_none() {
                    return Err(BankError::ApprovalRequired(
                        ApprovalNeed::DrawerAboveLimit { limit },
                    ));
                }
            }
        }
        let number = request.account.as_str().to_string();
        let account = self
            .account_mut(&number)
            .ok_or_else(|| BankError::NotFound(format!("Account {number}")))?;
        if !open {
            return Err(BankError::DrawerClosed(account.currency.to_string()));
        }
        // Large cash, as the bank decides it (the fake counts one operation, not the day).
        if amount > crate::services::ctr_line() && request.id.is_none() {
            return Err(BankError::IdRequired(
                "Cash above 10,000.00 today for this customer".into(),
            ));
        }
        if kind == CashKind::Withdrawal && account.balance < amount {
            return Err(BankError::InsufficientFunds {
                account: number,
                balance: account.balance,
                needed: amount,
            });
        }
        if kind == CashKind::Deposit {
            account.balance += amount;
        } else {
            account.balance -= amount;
        }
        let (balance, currency) = (account.balance, account.currency);
        if self.drawer.is_some() {
            if kind == CashKind::Deposit {
                self.drawer_flows.0 += amount;
            } else {
                self.drawer_flows.1 += amount;
            }
        }
        let (movement, sides) = match kind {
            CashKind::Deposit => (
                MovementKind::Deposit,
                (Party::Cash, Party::Account(number.clone())),
            ),
            CashKind::Withdrawal => (
                MovementKind::Withdrawal,
                (Party::Account(number.clone()), Party::Cash),
            ),
        };
        Ok(self.numbered(MoneyResult {
            id: 0,
            key: request.key.as_str().to_string(),
            kind: movement,
            amount,
            currency,
            from: sides.0,
            to: sides.1,
            balances: vec![(number, balance)],
            memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
            at: fixed_wall(),
            replayed: false,
            drawer_over_limit: over_limit,
            device: "local".into(),
        }))
    }

    /// Answers the workstation's jobs.
    pub(super) fn answer_desk(&mut self, job: Job) -> ReplyBody {
        match job {
            Job::SearchCustomers { query, .. } => ReplyBody::Customers(CustomerMatches {
                result: Ok(self.search(&query)),
                query,
            }),
            Job::Limits {} => ReplyBody::Limits(self.approval_limit),
            Job::RegisterUser { input, .. } => {
                let profile = UserProfile {
                    id: 50,
                    email: input.email.as_str().to_string(),
                    name: input.name.as_str().to_string(),
                    surname: input.surname.map(|s| s.as_str().to_string()),
                    age: input.age.value(),
                    country: input.country.as_str().to_string(),
                    city: input.city.map(|c| c.as_str().to_string()),
                    phones: input
                        .phones
                        .iter()
                        .map(|p| p.as_str().to_string())
                        .collect(),
                    role: Role::Customer,
                    locked_until: None,
                    created_at: fixed_wall(),
                    updated_at: fixed_wall(),
                };
                if self.profile_of(&profile.email).is_some() {
                    return ReplyBody::Profile(Err(BankError::DuplicateEmail(profile.email)));
                }
                self.others.push((profile.clone(), Vec::new()));
                ReplyBody::Profile(Ok(profile))
            }
            Job::OpenAccount {
                owner, currency, ..
            } => {
                let serial = 100_000_900 + u32::try_from(self.next_id % 100).unwrap_or(0);
                self.next_id += 1;
                let account = AccountView {
                    number: account_number(serial),
                    owner: Some(owner.as_str().to_string()),
                    currency,
                    balance: Decimal::ZERO,
                    status: AccountStatus::Open,
                    created_at: fixed_wall(),
                };
                if owner.as_str() == self.profile.email {
                    self.accounts.push(account.clone());
                } else if let Some((_, list)) = self
                    .others
                    .iter_mut()
                    .find(|(p, _)| p.email == owner.as_str())
                {
                    list.push(account.clone());
                }
                ReplyBody::Account(Ok(account))
            }
            Job::SetAccountStatus {
                actor,
                account,
                status,
                approval,
            } => {
                if status == AccountStatus::Open {
                    let approved = match &approval {
                        Some(approval) => self.approve(&actor, approval),
                        None => Err(BankError::ApprovalRequired(ApprovalNeed::Unfreeze)),
                    };
                    if let Err(e) = approved {
                        return ReplyBody::Account(Err(e));
                    }
                }
                ReplyBody::Account(match self.account_mut(account.as_str()) {
                    Some(a) => {
                        a.status = status;
                        Ok(a.clone())
                    }
                    None => Err(BankError::NotFound(format!("Account {account}"))),
                })
            }
            Job::UnlockUser { email, .. } => {
                if email.as_str() == self.profile.email {
                    self.profile.locked_until = None;
                }
                for (p, _) in &mut self.others {
                    if p.email == email.as_str() {
                        p.locked_until = None;
                    }
                }
                ReplyBody::Done(Ok(()))
            }
            Job::ResetPassword { .. } => ReplyBody::Done(Ok(())),
            Job::Drawer { .. } => {
                ReplyBody::Drawer(Ok(self.drawer.clone().filter(|d| d.closed_at.is_none())))
            }
            Job::OpenDrawer {
                actor,
                currency,
                count,
                approval,
            } => {
                if self.drawer.as_ref().is_some_and(|d| d.closed_at.is_none()) {
                    return ReplyBody::DrawerSession(Err(BankError::DrawerAlreadyOpen));
                }
                // The float comes from the vault: a supervisor approves it.
                let approved = match &approval {
                    Some(approval) => self.approve(&actor, approval),
                    None => Err(BankError::ApprovalRequired(ApprovalNeed::DrawerFloat)),
                };
                if let Err(e) = approved {
                    return ReplyBody::DrawerSession(Err(e));
                }
                let view = DrawerView {
                    session_id: 42,
                    currency: currency.as_str().into(),
                    opening_float: count.total(),
                    opening_count: count.to_string(),
                    cash_in: None,
                    cash_out: None,
                    top_ups: Decimal::ZERO,
                    drops: Decimal::ZERO,
                    expected: None,
                    opened_at: fixed_wall(),
                    closed_at: None,
                    counted: None,
                    over_short: None,
                };
                self.drawer = Some(view.clone());
                self.drawer_flows = (Decimal::ZERO, Decimal::ZERO);
                ReplyBody::DrawerSession(Ok(view))
            }
            Job::CloseDrawer { count, .. } => {
                let Some(mut view) = self.drawer.take().filter(|d| d.closed_at.is_none()) else {
                    return ReplyBody::DrawerSession(Err(BankError::DrawerClosed(
                        "any currency".into(),
                    )));
                };
                let (cash_in, cash_out) = self.drawer_flows;
                let expected = self.expected_cash(&view);
                view.closed_at = Some(fixed_wall());
                view.cash_in = Some(cash_in);
                view.cash_out = Some(cash_out);
                view.expected = Some(expected);
                view.counted = Some(count.total());
                view.over_short = Some(count.total() - expected);
                self.drawer = Some(view.clone());
                ReplyBody::DrawerSession(Ok(view))
            }
            Job::Cash {
                actor,
                kind,
                request,
                approval,
            } => ReplyBody::Money(self.cash(&actor, kind, &request, approval.as_ref())),
            Job::CounterTransfer {
                actor,
                request,
                approval,
            } => ReplyBody::Money(
                self.limit(&actor, request.amount.value(), approval.as_ref())
                    .and_then(|()| self.transfer(&request)),
            ),
            Job::Reverse {
                actor,
                reference,
                reason,
                approval,
            } => {
                let approved = match &approval {
                    Some(approval) => self.approve(&actor, approval),
                    None => Err(BankError::ApprovalRequired(ApprovalNeed::Reversal)),
                };
                if let Err(e) = approved {
                    return ReplyBody::Money(Err(e));
                }
                let original = self
                    .history
                    .values()
                    .flatten()
                    .find(|e| e.id == reference)
                    .cloned();
                let Some(original) = original else {
                    return ReplyBody::Money(Err(BankError::NotFound(format!(
                        "Movement {reference}"
                    ))));
                };
                let result = self.numbered(MoneyResult {
                    id: 0,
                    key: format!("reversal-{reference}"),
                    kind: MovementKind::Reversal,
                    amount: original.amount.abs(),
                    currency: original.currency,
                    from: original.counterparty.clone(),
                    to: Party::Cash,
                    balances: Vec::new(),
                    memo: Some(reason.as_str().to_string()),
                    at: fixed_wall(),
                    replayed: false,
                    drawer_over_limit: false,
                    device: "local".into(),
                });
                ReplyBody::Money(Ok(result))
            }
            Job::WriteReceipt { path, .. } => ReplyBody::Receipt(Ok(path)),
            Job::Statement { path, .. } => ReplyBody::StatementWritten(Ok(path)),
            // A folder on this machine: the real listing, as the worker does it.
            Job::NextPaymentFile {
                folder,
                current,
                forward,
            } => ReplyBody::PaymentFile(crate::tui::worker::next_payment_file(
                &folder, &current, forward,
            )),
            Job::BulkPreview { actor, path, from } => {
                // The real file check (it touches no bank); the fake's approval limit.
                let preview = crate::bulk::check_file(&path, Some(&from)).map(|check| {
                    let needs_approval = actor.is_staff() && check.total > self.approval_limit;
                    crate::tui::worker::BulkPreview::of(path, &check, needs_approval)
                });
                ReplyBody::BulkPreview(preview.map_err(Into::into))
            }
            Job::BulkPost {
                actor,
                path,
                from,
                approval,
                digest,
            } => {
                let posted = crate::bulk::check_file(&path, Some(&from))
                    .map_err(crate::bulk::PostError::from)
                    .and_then(|check| {
                        if check.digest != digest {
                            return Err(crate::bulk::FileError::NotPreviewed {
                                path: path.display().to_string(),
                                expected: hex::encode(digest),
                                found: hex::encode(check.digest),
                            }
                            .into());
                        }
                        if let Some(approval) = &approval {
                            self.approve(&actor, approval)?;
                        } else if actor.is_staff() && check.total > self.approval_limit {
                            return Err(BankError::ApprovalRequired(ApprovalNeed::BulkTotal).into());
                        }
                        let mut results = path.clone().into_os_string();
                        results.push(".results.csv");
                        Ok(crate::tui::worker::BulkSummary {
                            done: check.valid,
                            replayed: 0,
                            refused: 0,
                            invalid: check.invalid,
                            moved: check.total,
                            results: results.into(),
                            seconds: 0.4,
                        })
                    });
                ReplyBody::BulkPosted(posted)
            }
            job => match self.approvals_answer(job) {
                Ok(body) => body,
                Err(job) => self.vault_answer(*job).unwrap_or(ReplyBody::Done(Ok(()))),
            },
        }
    }
}
