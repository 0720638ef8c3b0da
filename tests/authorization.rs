//! The authorization matrix, enforced by the services: each role against each operation,
//! table-driven. Every refusal must move nothing, and refused changes must be audited.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::collections::BTreeMap;

use common::*;
use rust_decimal::Decimal;
use teller::domain::{AccountNumber, City, Currency, Password, Role, Secret};
use teller::services::{
    AccountStatus, Actor, Approval, Bank, BankResult, ProfileChanges, TransferRequest,
};

/// The people of the bank the matrix is run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Alice,
    Bob,
    Teller,
    Teller2,
    Admin,
    Admin2,
    Operator,
}

impl Who {
    fn address(self) -> &'static str {
        match self {
            Who::Alice => "alice@example.com",
            Who::Bob => "bob@example.com",
            Who::Teller => "teller@example.com",
            Who::Teller2 => "teller2@example.com",
            Who::Admin => "admin@example.com",
            Who::Admin2 => "admin2@example.com",
            Who::Operator => "operator@cli",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Op {
    ShowProfile(Who),
    EditProfile(Who),
    ListAccounts(Who),
    /// Balance of the person's (first) account.
    Balance(Who),
    History(Who),
    Transfer(Who, Who),
    Deposit(Who),
    Withdraw(Who),
    OpenAccount(Who),
    Freeze(Who),
    Unfreeze(Who),
    /// With a second admin's approval where staff are concerned (as the app asks for it).
    CreateUser(Role),
    /// Without any approval.
    CreateUserAlone(Role),
    Unlock(Who),
    ResetPassword(Who),
    ResetPasswordAlone(Who),
    Audit,
    AuditLog,
}

type Expect = Result<(), &'static str>;
const OK: Expect = Ok(());
const FORBIDDEN: Expect = Err("forbidden");
const APPROVAL: Expect = Err("approval_required");
const NOT_FOUND: Expect = Err("not_found");

struct World {
    bank: Bank,
    actors: BTreeMap<Who, Actor>,
    accounts: BTreeMap<Who, AccountNumber>,
    created: u32,
}

impl World {
    fn new(db: &TestDb) -> Self {
        let mut bank = db.bank();
        let mut actors = BTreeMap::new();
        let mut accounts = BTreeMap::new();
        for (who, start) in [(Who::Alice, "500"), (Who::Bob, "300")] {
            let (actor, account) = customer_with_account(&mut bank, who.address(), start);
            actors.insert(who, actor);
            accounts.insert(who, account);
        }
        for (who, role) in [
            (Who::Teller, Role::Teller),
            (Who::Teller2, Role::Teller),
            (Who::Admin, Role::Admin),
            (Who::Admin2, Role::Admin),
        ] {
            let actor = user(&mut bank, who.address(), role);
            // Staff handle cash only with their drawer open.
            open_drawer(&mut bank, &actor, "100x10").unwrap();
            actors.insert(who, actor);
        }
        actors.insert(Who::Operator, operator());
        Self {
            bank,
            actors,
            accounts,
            created: 0,
        }
    }

    fn actor(&self, who: Who) -> Actor {
        self.actors[&who].clone()
    }

    fn account(&self, who: Who) -> AccountNumber {
        self.accounts
            .get(&who)
            .unwrap_or_else(|| panic!("{who:?} has no account"))
            .clone()
    }

    fn run(&mut self, who: Who, op: Op) -> Expect {
        let actor = self.actor(who);
        let result: BankResult<()> = match op {
            Op::ShowProfile(target) => self
                .bank
                .people()
                .profile(&actor, &email(target.address()))
                .map(drop),
            Op::EditProfile(target) => {
                let changes = ProfileChanges {
                    city: Some(Some(City::parse("Lyon").unwrap())),
                    ..ProfileChanges::default()
                };
                self.bank
                    .people()
                    .update_profile(&actor, &email(target.address()), &changes)
                    .map(drop)
            }
            Op::ListAccounts(target) => self
                .bank
                .money()
                .accounts(&actor, &email(target.address()))
                .map(drop),
            Op::Balance(target) => {
                let account = self.account(target);
                self.bank.money().account(&actor, &account).map(drop)
            }
            Op::History(target) => {
                let account = self.account(target);
                self.bank
                    .money()
                    .history(&actor, &account, None, 10)
                    .map(drop)
            }
            Op::Transfer(from, to) => {
                let request = TransferRequest {
                    from: self.account(from),
                    to: self.account(to),
                    amount: amount("1.25"),
                    key: key(),
                    memo: None,
                };
                self.bank.money().transfer(&actor, &request, None).map(drop)
            }
            Op::Deposit(target) => {
                let request = cash(&self.account(target), "10");
                self.bank.money().deposit(&actor, &request, None).map(drop)
            }
            Op::Withdraw(target) => {
                let request = cash(&self.account(target), "2.50");
                self.bank.money().withdraw(&actor, &request, None).map(drop)
            }
            Op::OpenAccount(target) => self
                .bank
                .money()
                .open_account(&actor, &email(target.address()), Currency::USD)
                .map(drop),
            Op::Freeze(target) => {
                let account = self.account(target);
                self.bank
                    .money()
                    .set_account_status(&actor, &account, AccountStatus::Frozen, None)
                    .map(drop)
            }
            Op::Unfreeze(target) => {
                let account = self.account(target);
                // Tellers and admins unfreeze with another admin's approval (four eyes).
                let approval = second_admin(who);
                match actor {
                    Actor::User(ref user) if user.role.is_staff() => self
                        .bank
                        .money()
                        .set_account_status(&actor, &account, AccountStatus::Open, Some(&approval))
                        .map(drop),
                    _ => self
                        .bank
                        .money()
                        .set_account_status(&actor, &account, AccountStatus::Open, None)
                        .map(drop),
                }
            }
            Op::CreateUser(role) | Op::CreateUserAlone(role) => {
                self.created += 1;
                let address = format!("new{}-{}@example.com", self.created, role.as_str());
                let approval = matches!(op, Op::CreateUser(_)).then(|| second_admin(who));
                self.bank
                    .people()
                    .register_user(&actor, new_user(&address, role), approval.as_ref())
                    .map(drop)
            }
            Op::Unlock(target) => self
                .bank
                .people()
                .unlock_user(&actor, &email(target.address()))
                .map(drop),
            Op::ResetPassword(target) | Op::ResetPasswordAlone(target) => {
                let address = email(target.address());
                let password = Password::parse("a-fresh-passphrase".into(), &address).unwrap();
                let staff = !matches!(target, Alice | Bob);
                let approval =
                    (staff && matches!(op, Op::ResetPassword(_))).then(|| second_admin(who));
                self.bank
                    .people()
                    .reset_password(&actor, &address, &password, approval.as_ref())
                    .map(drop)
            }
            Op::Audit => self.bank.ledger().audit(&actor).map(drop),
            Op::AuditLog => self.bank.ledger().audit_log(&actor, 10).map(drop),
        };
        result.map_err(|e| e.code())
    }

    fn balances(&mut self) -> Vec<Decimal> {
        let accounts: Vec<AccountNumber> = self.accounts.values().cloned().collect();
        accounts
            .iter()
            .map(|account| balance(&mut self.bank, account))
            .collect()
    }

    fn balance_of(&mut self, who: Who) -> Decimal {
        let account = self.account(who);
        balance(&mut self.bank, &account)
    }

    fn last_audit_id(&mut self) -> i64 {
        self.bank
            .ledger()
            .audit_log(&operator(), 1)
            .unwrap()
            .first()
            .map_or(0, |e| e.id)
    }

    /// Did `who` get an audit entry with the refusal's `code` after the entry `since`?
    fn refusal_audited(&mut self, who: Who, since: i64, code: &str) -> bool {
        let name = self.actor(who).audit_name();
        self.bank
            .ledger()
            .audit_log(&operator(), 50)
            .unwrap()
            .iter()
            .any(|e| e.id > since && e.actor == name && e.outcome == code)
    }
}

/// The approval of the admin who is not `who` (four eyes).
fn second_admin(who: Who) -> Approval {
    let supervisor = if who == Admin { Admin2 } else { Admin };
    Approval::Typed {
        supervisor: email(supervisor.address()),
        password: Secret::new(PASSWORD.into()),
    }
}

/// Runs every case as `who` in order on one bank and reports all mismatches at once.
fn check(who: Who, cases: &[(Op, Expect)]) {
    let db = TestDb::new();
    let mut world = World::new(&db);
    let mut failures = Vec::new();
    for &(op, expected) in cases {
        let audit_before = world.last_audit_id();
        let balances_before = world.balances();
        let got = world.run(who, op);
        if got != expected {
            failures.push(format!(
                "{who:?} {op:?}: expected {expected:?}, got {got:?}"
            ));
            continue;
        }
        if got.is_err() {
            if world.balances() != balances_before {
                failures.push(format!("{who:?} {op:?}: refused, yet money moved"));
            }
            let code = got.err().unwrap_or_default();
            // Every refusal is audited, reads included.
            if !world.refusal_audited(who, audit_before, code) {
                failures.push(format!("{who:?} {op:?}: refused but not audited"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );
    assert_audit_ok(&mut world.bank);
}

use Who::*;

#[test]
fn customers_use_only_their_own_money_and_profile() {
    check(
        Alice,
        &[
            (Op::ShowProfile(Alice), OK),
            (Op::ShowProfile(Bob), FORBIDDEN),
            (Op::ShowProfile(Teller), FORBIDDEN),
            (Op::ShowProfile(Admin), FORBIDDEN),
            (Op::EditProfile(Alice), OK),
            (Op::EditProfile(Bob), FORBIDDEN),
            (Op::EditProfile(Teller), FORBIDDEN),
            (Op::ListAccounts(Alice), OK),
            (Op::ListAccounts(Bob), FORBIDDEN),
            (Op::Balance(Alice), OK),
            // Someone else's account looks like no account at all.
            (Op::Balance(Bob), NOT_FOUND),
            (Op::History(Alice), OK),
            (Op::History(Bob), NOT_FOUND),
            (Op::Transfer(Alice, Bob), OK),
            (Op::Transfer(Bob, Alice), NOT_FOUND),
            (Op::Deposit(Alice), FORBIDDEN),
            (Op::Withdraw(Alice), FORBIDDEN),
            (Op::Deposit(Bob), FORBIDDEN),
            (Op::OpenAccount(Alice), FORBIDDEN),
            (Op::Freeze(Alice), FORBIDDEN),
            (Op::Freeze(Bob), FORBIDDEN),
            (Op::Unfreeze(Alice), FORBIDDEN),
            (Op::CreateUser(Role::Customer), FORBIDDEN),
            (Op::CreateUser(Role::Teller), FORBIDDEN),
            (Op::CreateUser(Role::Admin), FORBIDDEN),
            (Op::Unlock(Bob), FORBIDDEN),
            (Op::Unlock(Alice), FORBIDDEN),
            (Op::ResetPassword(Bob), FORBIDDEN),
            (Op::ResetPassword(Teller), FORBIDDEN),
            (Op::Audit, FORBIDDEN),
            (Op::AuditLog, FORBIDDEN),
        ],
    );
}

#[test]
fn tellers_serve_any_customer_but_not_staff() {
    check(
        Teller,
        &[
            (Op::ShowProfile(Alice), OK),
            (Op::EditProfile(Alice), OK),
            (Op::ShowProfile(Teller), OK),
            (Op::EditProfile(Teller), OK),
            (Op::ShowProfile(Teller2), FORBIDDEN),
            (Op::EditProfile(Teller2), FORBIDDEN),
            (Op::ShowProfile(Admin), FORBIDDEN),
            (Op::EditProfile(Admin), FORBIDDEN),
            (Op::ListAccounts(Alice), OK),
            (Op::Balance(Bob), OK),
            (Op::History(Bob), OK),
            (Op::Transfer(Alice, Bob), OK),
            (Op::Transfer(Bob, Alice), OK),
            (Op::Deposit(Alice), OK),
            (Op::Withdraw(Bob), OK),
            (Op::OpenAccount(Alice), OK),
            (Op::OpenAccount(Teller2), FORBIDDEN),
            (Op::OpenAccount(Admin), FORBIDDEN),
            (Op::Freeze(Alice), OK),
            (Op::Unfreeze(Alice), OK),
            (Op::CreateUser(Role::Customer), OK),
            (Op::CreateUser(Role::Teller), FORBIDDEN),
            (Op::CreateUser(Role::Admin), FORBIDDEN),
            (Op::Unlock(Alice), OK),
            (Op::ResetPassword(Bob), OK),
            (Op::Unlock(Teller2), FORBIDDEN),
            (Op::ResetPassword(Teller2), FORBIDDEN),
            (Op::Unlock(Admin), FORBIDDEN),
            (Op::ResetPassword(Admin), FORBIDDEN),
            (Op::Audit, OK),
            (Op::AuditLog, OK),
        ],
    );
}

#[test]
fn admins_create_staff_and_do_all_a_teller_does() {
    check(
        Admin,
        &[
            (Op::ShowProfile(Alice), OK),
            (Op::EditProfile(Alice), OK),
            (Op::ShowProfile(Teller), OK),
            (Op::EditProfile(Teller), OK),
            (Op::ShowProfile(Admin2), OK),
            (Op::EditProfile(Admin), OK),
            (Op::ListAccounts(Bob), OK),
            (Op::Balance(Alice), OK),
            (Op::History(Alice), OK),
            (Op::Transfer(Bob, Alice), OK),
            (Op::Deposit(Bob), OK),
            (Op::Withdraw(Alice), OK),
            (Op::OpenAccount(Bob), OK),
            // Accounts belong to customers only, whoever asks.
            (Op::OpenAccount(Teller), FORBIDDEN),
            (Op::Freeze(Bob), OK),
            (Op::Unfreeze(Bob), OK),
            (Op::CreateUser(Role::Customer), OK),
            (Op::CreateUser(Role::Teller), OK),
            (Op::CreateUser(Role::Admin), OK),
            // Staff accounts need a second admin (the bank has two here).
            (Op::CreateUserAlone(Role::Customer), OK),
            (Op::CreateUserAlone(Role::Teller), APPROVAL),
            (Op::CreateUserAlone(Role::Admin), APPROVAL),
            (Op::Unlock(Alice), OK),
            (Op::Unlock(Teller), OK),
            (Op::Unlock(Admin2), OK),
            (Op::ResetPassword(Bob), OK),
            (Op::ResetPassword(Teller2), OK),
            (Op::ResetPassword(Admin2), OK),
            (Op::ResetPasswordAlone(Bob), OK),
            (Op::ResetPasswordAlone(Teller2), APPROVAL),
            (Op::ResetPasswordAlone(Admin2), APPROVAL),
            (Op::Audit, OK),
            (Op::AuditLog, OK),
        ],
    );
}

#[test]
fn the_operator_may_do_everything() {
    check(
        Operator,
        &[
            (Op::ShowProfile(Alice), OK),
            (Op::ShowProfile(Admin), OK),
            (Op::EditProfile(Teller), OK),
            (Op::EditProfile(Admin), OK),
            (Op::ListAccounts(Alice), OK),
            (Op::Balance(Bob), OK),
            (Op::History(Bob), OK),
            (Op::Transfer(Alice, Bob), OK),
            (Op::Deposit(Alice), OK),
            (Op::Withdraw(Bob), OK),
            (Op::OpenAccount(Alice), OK),
            (Op::Freeze(Alice), OK),
            (Op::Unfreeze(Alice), OK),
            (Op::CreateUser(Role::Customer), OK),
            (Op::CreateUser(Role::Teller), OK),
            (Op::CreateUser(Role::Admin), OK),
            (Op::Unlock(Teller), OK),
            (Op::Unlock(Admin), OK),
            (Op::ResetPassword(Alice), OK),
            (Op::ResetPassword(Admin), OK),
            (Op::Audit, OK),
            (Op::AuditLog, OK),
        ],
    );
}

#[test]
fn a_customer_learns_nothing_about_strangers() {
    let db = TestDb::new();
    let mut world = World::new(&db);
    let alice = world.actor(Alice);
    // Asking about an existing and a missing person gets the same answer.
    let existing = world
        .bank
        .money()
        .accounts(&alice, &email(Bob.address()))
        .unwrap_err();
    let missing = world
        .bank
        .money()
        .accounts(&alice, &email("nobody@example.com"))
        .unwrap_err();
    assert_eq!(existing.code(), "forbidden");
    assert_eq!(missing.code(), "forbidden");
    assert_eq!(existing.to_string(), missing.to_string());
    let existing = world
        .bank
        .people()
        .profile(&alice, &email(Bob.address()))
        .unwrap_err();
    let missing = world
        .bank
        .people()
        .profile(&alice, &email("nobody@example.com"))
        .unwrap_err();
    assert_eq!(existing.to_string(), missing.to_string());
    // Someone else's account number and a number nobody has get the same answer.
    let bobs = world.account(Bob);
    let nobodys = AccountNumber::from_serial(100_000_000).unwrap();
    let existing = world.bank.money().account(&alice, &bobs).unwrap_err();
    let missing = world.bank.money().account(&alice, &nobodys).unwrap_err();
    assert_eq!(existing.code(), missing.code());
    assert_eq!(
        existing.to_string().replace(bobs.as_str(), "N"),
        missing.to_string().replace(nobodys.as_str(), "N")
    );
    let existing = world
        .bank
        .money()
        .history(&alice, &bobs, None, 5)
        .unwrap_err();
    let missing = world
        .bank
        .money()
        .history(&alice, &nobodys, None, 5)
        .unwrap_err();
    assert_eq!(existing.code(), missing.code());
    // A transfer's answer holds the payer's balance only.
    let request = TransferRequest {
        from: world.account(Alice),
        to: bobs.clone(),
        amount: amount("1.00"),
        key: key(),
        memo: None,
    };
    let done = world.bank.money().transfer(&alice, &request, None).unwrap();
    let shown: Vec<&str> = done.balances.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(shown, [world.account(Alice).as_str()]);
    // Nor by trying staff actions on them.
    let password = Password::parse("a-fresh-passphrase".into(), &email("x@example.com")).unwrap();
    for target in [Bob.address(), "nobody@example.com"] {
        let target = email(target);
        let answers = [
            world.bank.people().unlock_user(&alice, &target).map(drop),
            world
                .bank
                .people()
                .reset_password(&alice, &target, &password, None)
                .map(drop),
            world
                .bank
                .money()
                .open_account(&alice, &target, Currency::USD)
                .map(drop),
            world
                .bank
                .people()
                .update_profile(&alice, &target, &ProfileChanges::default())
                .map(drop),
        ];
        for answer in answers {
            assert_eq!(answer.unwrap_err().code(), "forbidden", "{target}");
        }
    }
    // Staff get the real answer.
    let teller = world.actor(Teller);
    assert_eq!(
        world
            .bank
            .money()
            .accounts(&teller, &email("nobody@example.com"))
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn a_customer_cannot_replay_someone_elses_movement_by_its_key() {
    let db = TestDb::new();
    let mut world = World::new(&db);
    let request = TransferRequest {
        from: world.account(Bob),
        to: world.account(Alice),
        amount: amount("50"),
        key: key(),
        memo: None,
    };
    let teller = world.actor(Teller);
    let done = world
        .bank
        .money()
        .transfer(&teller, &request, None)
        .unwrap();
    assert!(!done.replayed);
    // The very same request, by Alice: refused, not replayed (the key reveals nothing).
    let alice = world.actor(Alice);
    let err = world
        .bank
        .money()
        .transfer(&alice, &request, None)
        .unwrap_err();
    // Bob's account is no account at all to Alice.
    assert_eq!(err.code(), "not_found");
    assert_eq!(world.balance_of(Alice), money("550"));
    assert_eq!(world.balance_of(Bob), money("250"));
}

#[test]
fn a_customer_moves_their_own_money_to_anyone() {
    let db = TestDb::new();
    let mut world = World::new(&db);
    let alice = world.actor(Alice);
    let request = TransferRequest {
        from: world.account(Alice),
        to: world.account(Bob),
        amount: amount("120.40"),
        key: key(),
        memo: None,
    };
    let done = world.bank.money().transfer(&alice, &request, None).unwrap();
    assert_eq!(done.amount, money("120.40"));
    let alice_account = world.account(Alice);
    let bob_account = world.account(Bob);
    assert_eq!(balance(&mut world.bank, &alice_account), money("379.60"));
    assert_eq!(balance(&mut world.bank, &bob_account), money("420.40"));
    // Alice sees her history; the transfer is recorded under her name.
    let history = world
        .bank
        .money()
        .history(&alice, &alice_account, None, 10)
        .unwrap();
    assert_eq!(history[0].amount, money("-120.40"));
    let log = world.bank.ledger().audit_log(&operator(), 20).unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "transfer" && e.outcome == "ok" && e.actor == Alice.address()));
    // Cash accounts (drawers) are not customers' business.
    let teller = world.actor(Teller);
    let deposit = world
        .bank
        .money()
        .deposit(&teller, &cash(&alice_account, "1"), None)
        .unwrap();
    assert_eq!(deposit.from.to_string(), "cash");
    let accounts = world
        .bank
        .money()
        .accounts(&alice, &email(Alice.address()))
        .unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].number, alice_account);
}

#[test]
fn a_frozen_account_is_readable_by_its_owner_but_moves_nothing() {
    let db = TestDb::new();
    let mut world = World::new(&db);
    let teller = world.actor(Teller);
    let alice = world.actor(Alice);
    let alice_account = world.account(Alice);
    world
        .bank
        .money()
        .set_account_status(&teller, &alice_account, AccountStatus::Frozen, None)
        .unwrap();
    let view = world.bank.money().account(&alice, &alice_account).unwrap();
    assert_eq!(view.status, AccountStatus::Frozen);
    let request = TransferRequest {
        from: alice_account.clone(),
        to: world.account(Bob),
        amount: amount("1"),
        key: key(),
        memo: None,
    };
    assert_eq!(
        world
            .bank
            .money()
            .transfer(&alice, &request, None)
            .unwrap_err()
            .code(),
        "account_frozen"
    );
    // Bob may not move Alice's money whatever its status (nor learn it is frozen).
    let bob = world.actor(Bob);
    assert_eq!(
        world
            .bank
            .money()
            .transfer(&bob, &request, None)
            .unwrap_err()
            .code(),
        "not_found"
    );
}
