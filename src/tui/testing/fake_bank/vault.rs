//! The fake bank's vault and day: what they hold. Whether a step may happen (supervisors
//! only, the drawers back before the count) is the bank's to decide: a test scripts it.

use rust_decimal::Decimal;

use super::super::fixtures::fixed_wall;
use super::FakeBank;
use crate::domain::CashCount;
use crate::services::{
    Actor, AuditReport, BankError, EodReport, MovementKind, VaultCountView, VaultMoveView,
    VaultTransfer, VaultView,
};
use crate::tui::worker::{DayClosed, Job, ReplyBody};

impl FakeBank {
    /// The answer to a vault job; `None` for any other job.
    pub(super) fn vault_answer(&mut self, job: Job) -> Option<ReplyBody> {
        Some(match job {
            Job::DrawerCash {
                actor,
                direction,
                count,
                approval,
                ..
            } => {
                if let Err(e) = self.approve(&approval) {
                    return Some(ReplyBody::DrawerSession(Err(e)));
                }
                let Some(drawer) = self.drawer.as_mut().filter(|d| d.closed_at.is_none()) else {
                    let e = BankError::DrawerClosed("any currency".into());
                    return Some(ReplyBody::DrawerSession(Err(e)));
                };
                match direction {
                    VaultTransfer::Drop => drawer.drops += count.total(),
                    VaultTransfer::TopUp => drawer.top_ups += count.total(),
                }
                let view = drawer.clone();
                let kind = match direction {
                    VaultTransfer::Drop => MovementKind::CashDrop,
                    VaultTransfer::TopUp => MovementKind::TopUp,
                };
                self.vault_move(kind, direction == VaultTransfer::Drop, &count, &actor);
                ReplyBody::DrawerSession(Ok(view))
            }
            Job::Vault { .. } => ReplyBody::Vault(Ok(self.vault.clone())),
            Job::OpenVault {
                actor,
                currency,
                count,
            } => {
                if self.vault.is_some() {
                    let e = BankError::VaultAlreadyOpen(currency.to_string());
                    return Some(ReplyBody::VaultDay(Err(e)));
                }
                let view = VaultView {
                    currency,
                    business_date: fixed_wall().date_naive(),
                    opened_by: actor.audit_name(),
                    opened_at: fixed_wall(),
                    opening_count: count.to_string(),
                    opening_total: count.total(),
                    opening_difference: Decimal::ZERO,
                    holdings: count.to_string(),
                    holdings_total: count.total(),
                    moves: Vec::new(),
                    closing: None,
                    day_closed: false,
                };
                self.vault = Some(view.clone());
                ReplyBody::VaultDay(Ok(view))
            }
            Job::CountVault {
                actor,
                currency,
                count,
            } => {
                let Some(vault) = self.vault.as_mut() else {
                    let e = BankError::VaultNotOpen(currency.to_string());
                    return Some(ReplyBody::VaultDay(Err(e)));
                };
                vault.closing = Some(VaultCountView {
                    counted_by: actor.audit_name(),
                    counted_at: fixed_wall(),
                    count: count.to_string(),
                    counted: count.total(),
                    expected: vault.holdings_total,
                    difference: count.total() - vault.holdings_total,
                });
                ReplyBody::VaultDay(Ok(vault.clone()))
            }
            Job::EndOfDay { actor, folder } => {
                if let Some(vault) = &mut self.vault {
                    vault.day_closed = true;
                }
                let date = fixed_wall().date_naive();
                ReplyBody::EndOfDay(Ok(DayClosed {
                    report: Box::new(self.eod_report(&actor)),
                    written: Ok(folder.join(format!("eod-{date}.txt"))),
                }))
            }
            _ => return None,
        })
    }

    fn vault_move(&mut self, kind: MovementKind, into: bool, count: &CashCount, actor: &Actor) {
        let Some(vault) = self.vault.as_mut() else {
            return;
        };
        let signed = if into { count.total() } else { -count.total() };
        vault.holdings_total += signed;
        vault.moves.push(VaultMoveView {
            reference: 7_000 + i64::try_from(vault.moves.len()).unwrap_or(0),
            kind,
            into_vault: into,
            amount: count.total(),
            pieces: count.to_string(),
            teller: actor.audit_name(),
            approved_by: Some("admin@bank.local".into()),
            at: fixed_wall(),
        });
    }

    fn eod_report(&self, actor: &Actor) -> EodReport {
        EodReport {
            business_date: fixed_wall().date_naive(),
            bank_name: "Teller Bank".into(),
            closed_by: actor.audit_name(),
            closed_at: fixed_wall(),
            already_closed: false,
            chain_head: "0".repeat(64),
            drawers: Vec::new(),
            vaults: self.vault.iter().cloned().collect(),
            cash: Vec::new(),
            ctr_customers: 0,
            possible_structuring: 0,
            movements: Vec::new(),
            devices: Vec::new(),
            positions: Vec::new(),
            audit: AuditReport {
                ok: true,
                checks: Vec::new(),
                accounts: 0,
                movements: 0,
                scope: crate::services::AuditScope::SinceCheckpoint,
                after_movement_id: 0,
                after_audit_id: 0,
                rows_checked: 0,
                checkpoint: None,
            },
        }
    }
}
