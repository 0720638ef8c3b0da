//! The bank's areas, each a view of the one [`Bank`] (its connection, its configuration, its
//! retries) for one seam of the rules: a caller asks for the area it works in
//! (`bank.money().transfer(…)`) and holds only that. The rules shared by all areas (the
//! transaction runner, audit lines, approvals) stay on `Bank`.

use super::Bank;

/// Accounts and the money in them: open, freeze, deposit, withdraw, transfer, reverse, and
/// what moved (history, statements).
pub struct Money<'b> {
    pub(super) bank: &'b mut Bank,
}

/// The branch's cash and its day: drawers, the vault, approvals sent to supervisors, the
/// large-cash report and the end of the day.
pub struct Desk<'b> {
    pub(super) bank: &'b mut Bank,
}

/// People and how they get in: users, logins and sessions, devices, the customer search.
pub struct People<'b> {
    pub(super) bank: &'b mut Bank,
}

/// The journal's proof: the audit, its log and the seals.
pub struct Ledger<'b> {
    pub(super) bank: &'b mut Bank,
}

/// Many transfers at once: batches, payment files and their approval.
pub struct Batches<'b> {
    pub(super) bank: &'b mut Bank,
}

impl Bank {
    pub fn money(&mut self) -> Money<'_> {
        Money { bank: self }
    }

    pub fn desk(&mut self) -> Desk<'_> {
        Desk { bank: self }
    }

    pub fn people(&mut self) -> People<'_> {
        People { bank: self }
    }

    pub fn ledger(&mut self) -> Ledger<'_> {
        Ledger { bank: self }
    }

    pub fn batches(&mut self) -> Batches<'_> {
        Batches { bank: self }
    }
}
