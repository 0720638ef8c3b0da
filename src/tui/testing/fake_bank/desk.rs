//! What the fake bank answers to the teller's workstation: lookups, accounts, the drawer, cash
//! and reversals, from the data it holds. When a limit or an approval is the bank's to decide,
//! a test says what it decides (`FakeBank::refuse_next`).

use rust_decimal::Decimal;

use super::FakeBank;
use crate::domain::Role;
use crate::services::{
    AccountStatus, AccountView, Approval, BankError, DrawerView, MoneyResult, MovementKind, Party,
    UserProfile,
};
use crate::tui::testing::fixtures::{account_number, fixed_wall};
use crate::tui::worker::{CashKind, CustomerMatches, Job, ReplyBody};

impl FakeBank {
    /// A sent request backs an operation once approved; a typed approval is the bank's to
    /// check (a test scripts its refusal, and asserts on what the screen sent).
    pub(super) fn approve(&self, approval: &Approval) -> Result<(), BankError> {
        match approval {
            Approval::Typed { .. } => Ok(()),
            Approval::Request(id) => self
                .approval_requests
                .iter()
                .any(|r| r.id == *id && r.status == crate::services::RequestStatus::Approved)
                .then_some(())
                .ok_or(BankError::ApprovalExpired),
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
        kind: CashKind,
        request: &crate::services::CashRequest,
        approval: Option<&Approval>,
    ) -> Result<MoneyResult, BankError> {
        let amount = request.amount.value();
        if let Some(approval) = approval {
            self.approve(approval)?;
        }
        let open = self.drawer.as_ref().is_some_and(|d| d.closed_at.is_none());
        let number = request.account.as_str().to_string();
        let account = self
            .account_mut(&number)
            .ok_or_else(|| BankError::NotFound(format!("Account {number}")))?;
        if !open {
            return Err(BankError::DrawerClosed(account.currency.to_string()));
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
                (Party::Cash, Party::Account(request.account.clone())),
            ),
            CashKind::Withdrawal => (
                MovementKind::Withdrawal,
                (Party::Account(request.account.clone()), Party::Cash),
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
            balances: vec![(request.account.clone(), balance)],
            memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
            at: fixed_wall(),
            replayed: false,
            drawer_over_limit: kind == CashKind::Deposit && self.drawer_over_limit,
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
                    email: input.email.clone(),
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
                if self.profile_of(profile.email.as_str()).is_some() {
                    let taken = profile.email.to_string();
                    return ReplyBody::Profile(Err(BankError::DuplicateEmail(taken)));
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
                if owner == self.profile.email {
                    self.accounts.push(account.clone());
                } else if let Some((_, list)) =
                    self.others.iter_mut().find(|(p, _)| p.email == owner)
                {
                    list.push(account.clone());
                }
                ReplyBody::Account(Ok(account))
            }
            Job::SetAccountStatus {
                account,
                status,
                approval,
                ..
            } => {
                if let Some(Err(e)) = approval.as_ref().map(|a| self.approve(a)) {
                    return ReplyBody::Account(Err(e));
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
                if email == self.profile.email {
                    self.profile.locked_until = None;
                }
                for (p, _) in &mut self.others {
                    if p.email == email {
                        p.locked_until = None;
                    }
                }
                ReplyBody::Done(Ok(()))
            }
            Job::ResetPassword { .. } => ReplyBody::Done(Ok(())),
            Job::Drawer { currency, .. } => {
                // Oldest first, as the bank answers: those opened before the newest.
                let open = self
                    .other_drawers
                    .iter()
                    .chain(&self.drawer)
                    .filter(|d| d.closed_at.is_none())
                    .find(|d| currency.is_none_or(|c| c == d.currency));
                ReplyBody::Drawer(Ok(open.cloned()))
            }
            Job::OpenDrawer {
                currency,
                count,
                approval,
                ..
            } => {
                let open_in = |d: &DrawerView| d.closed_at.is_none() && d.currency == currency;
                if self.drawer.iter().chain(&self.other_drawers).any(open_in) {
                    return ReplyBody::DrawerSession(Err(BankError::DrawerAlreadyOpen(currency)));
                }
                if let Some(Err(e)) = approval.as_ref().map(|a| self.approve(a)) {
                    return ReplyBody::DrawerSession(Err(e));
                }
                let view = DrawerView {
                    session_id: 42,
                    currency,
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
                // A drawer of another currency stays open beside the new one.
                if let Some(other) = self.drawer.take().filter(|d| d.closed_at.is_none()) {
                    self.other_drawers.push(other);
                }
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
                kind,
                request,
                approval,
                ..
            } => ReplyBody::Money(self.cash(kind, &request, approval.as_ref())),
            Job::CounterTransfer {
                request, approval, ..
            } => ReplyBody::Money(
                approval
                    .as_ref()
                    .map_or(Ok(()), |a| self.approve(a))
                    .and_then(|()| self.transfer(&request)),
            ),
            Job::Reverse {
                reference,
                reason,
                approval,
                ..
            } => {
                if let Some(Err(e)) = approval.as_ref().map(|a| self.approve(a)) {
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
                path,
                from,
                approval,
                digest,
                ..
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
                            self.approve(approval)?;
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
                Err(job) => match self.fx_answer(*job) {
                    Ok(body) => body,
                    Err(job) => self.vault_answer(*job).unwrap_or(ReplyBody::Done(Ok(()))),
                },
            },
        }
    }
}
