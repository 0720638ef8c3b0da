//! What the fake bank answers to the customer's screens (and to everyone's login); the rest
//! goes to the desk.

use super::FakeBank;
use crate::services::{BankError, HistoryEntry, MoneyResult, MovementKind, Party, UserProfile};
use crate::tui::testing::fixtures::fixed_wall;
use crate::tui::worker::{Exported, HistoryPage, Job, RecipientName, ReplyBody, Trend};

impl FakeBank {
    /// What the real bank would answer to the data it holds, or what a test said it decides.
    pub fn answer(&mut self, job: Job) -> ReplyBody {
        self.note_approval(&job);
        if let Some(refused) = self.scripted_refusal(&job) {
            return refused;
        }
        match job {
            Job::Login { email, password } | Job::Reauthenticate { email, password } => {
                let staff = self
                    .staff
                    .iter()
                    .find(|(u, pw)| u.email == email && pw == password.expose())
                    .map(|(u, _)| u.clone());
                ReplyBody::Session(
                    if email == self.user.email && password.expose() == self.password {
                        Ok(self.user.clone())
                    } else if let Some(user) = staff {
                        Ok(user)
                    } else {
                        Err(BankError::InvalidCredentials)
                    },
                )
            }
            Job::Accounts { owner, .. } => ReplyBody::Accounts(
                self.accounts_of(owner.as_str())
                    .or_else(|| {
                        // A staff member's own (empty) list.
                        self.staff
                            .iter()
                            .any(|(u, _)| u.email == owner)
                            .then(Vec::new)
                    })
                    .ok_or_else(|| BankError::NotFound(format!("User {owner}"))),
            ),
            Job::History {
                account,
                before,
                limit,
                ..
            } => {
                let all = self
                    .history
                    .get(account.as_str())
                    .cloned()
                    .unwrap_or_default();
                let page = all
                    .into_iter()
                    .filter(|e| before.is_none_or(|b| e.id < b))
                    .take(limit as usize)
                    .collect();
                ReplyBody::History(HistoryPage {
                    account,
                    before,
                    result: Ok(page),
                })
            }
            Job::Trends {
                accounts, points, ..
            } => ReplyBody::Trends(Ok(accounts
                .iter()
                .map(|account| {
                    let all = self.history.get(account.as_str());
                    let page: Vec<HistoryEntry> = all
                        .into_iter()
                        .flatten()
                        .take(points as usize)
                        .cloned()
                        .collect();
                    Trend::from_history(account, &page)
                })
                .collect())),
            Job::Recipient { number } => ReplyBody::Recipient(RecipientName {
                result: self
                    .names
                    .get(number.as_str())
                    .cloned()
                    .ok_or_else(|| BankError::NotFound(format!("Account {number}"))),
                number,
            }),
            Job::Transfer { request, .. } => ReplyBody::Transfer(self.transfer(&request)),
            Job::Profile { ref email, .. } | Job::UpdateProfile { ref email, .. }
                if *email != self.profile.email =>
            {
                let (email, changes) = match job {
                    Job::UpdateProfile { email, changes, .. } => (email, Some(changes)),
                    Job::Profile { email, .. } => (email, None),
                    _ => return ReplyBody::Done(Ok(())),
                };
                if let Some((user, _)) = self.staff.iter().find(|(u, _)| u.email == email) {
                    return ReplyBody::Profile(Ok(UserProfile {
                        id: user.id,
                        email: user.email.clone(),
                        name: user.name.clone(),
                        surname: user.surname.clone(),
                        age: 45,
                        country: "USA".into(),
                        city: None,
                        phones: Vec::new(),
                        role: user.role,
                        locked_until: None,
                        created_at: fixed_wall() - chrono::Duration::days(900),
                        updated_at: fixed_wall(),
                    }));
                }
                let Some((profile, _)) = self.others.iter_mut().find(|(p, _)| p.email == email)
                else {
                    return ReplyBody::Profile(Err(BankError::NotFound(format!("User {email}"))));
                };
                if let Some(changes) = changes {
                    if let Some(city) = changes.city {
                        profile.city = city.map(|c| c.as_str().to_string());
                    }
                    if let Some(name) = changes.name {
                        profile.name = name.as_str().to_string();
                    }
                }
                ReplyBody::Profile(Ok(profile.clone()))
            }
            Job::Profile { .. } | Job::UpdateProfile { .. } => {
                if let Job::UpdateProfile { changes, .. } = job {
                    if let Some(name) = changes.name {
                        self.profile.name = name.as_str().to_string();
                    }
                    if let Some(city) = changes.city {
                        self.profile.city = city.map(|c| c.as_str().to_string());
                    }
                    for phone in changes.add_phones {
                        self.profile.phones.push(phone.as_str().to_string());
                    }
                    self.profile
                        .phones
                        .retain(|p| !changes.remove_phones.iter().any(|r| r.as_str() == p));
                }
                ReplyBody::Profile(Ok(self.profile.clone()))
            }
            Job::ChangePassword { current, new, .. } => {
                ReplyBody::PasswordChanged(if current.expose() == self.password {
                    self.password = new.expose().to_string();
                    Ok(())
                } else {
                    Err(BankError::InvalidCredentials)
                })
            }
            Job::ExportHistory { account, path, .. } => ReplyBody::Exported(Ok(Exported {
                path,
                movements: self.history.get(account.as_str()).map_or(0, Vec::len),
            })),
            other => self.answer_desk(other),
        }
    }

    pub(super) fn transfer(
        &mut self,
        request: &crate::services::TransferRequest,
    ) -> Result<MoneyResult, BankError> {
        if let Some(done) = self.applied.get(request.key.as_str()) {
            return Ok(MoneyResult {
                replayed: true,
                drawer_over_limit: false,
                device: "local".into(),
                ..done.clone()
            });
        }
        let amount = request.amount.value();
        let from = self
            .accounts
            .iter_mut()
            .find(|a| a.number == request.from)
            .ok_or_else(|| BankError::NotFound(format!("Account {}", request.from)))?;
        if from.balance < amount {
            return Err(BankError::InsufficientFunds {
                account: from.number.to_string(),
                balance: from.balance,
                needed: amount,
            });
        }
        from.balance -= amount;
        let balance = from.balance;
        let result = MoneyResult {
            id: self.next_id,
            key: request.key.as_str().to_string(),
            kind: MovementKind::Transfer,
            amount,
            currency: from.currency,
            from: Party::Account(request.from.clone()),
            to: Party::Account(request.to.clone()),
            balances: vec![(request.from.clone(), balance)],
            memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
            at: fixed_wall(),
            replayed: false,
            drawer_over_limit: false,
            device: "local".into(),
        };
        self.next_id += 1;
        self.applied
            .insert(request.key.as_str().to_string(), result.clone());
        Ok(result)
    }
}
