//! Service tests of the branch's day: the vault, floats, drops and top-ups under dual
//! control, the vault's counts and closing the day.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use teller::domain::{Currency, Role};
use teller::services::{Actor, Bank, MovementKind, VaultTransfer};

/// A branch: a supervisor (the fixture's), a teller and a customer with money.
struct Branch {
    bank: Bank,
    supervisor: Actor,
    teller: Actor,
    account: teller::domain::AccountNumber,
}

fn branch(db: &TestDb) -> Branch {
    let mut bank = db.bank();
    let supervisor = match login(&mut bank, SUPERVISOR, PASSWORD) {
        Ok(user) => Actor::User(user),
        Err(_) => user(&mut bank, SUPERVISOR, Role::Admin),
    };
    let teller = user(&mut bank, "tess@bank.local", Role::Teller);
    let (_, account) = customer_with_account(&mut bank, "carl@example.com", "5000.00");
    Branch {
        bank,
        supervisor,
        teller,
        account,
    }
}

#[test]
fn the_vault_opens_once_a_day_with_a_supervisors_blind_count() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        supervisor,
        teller,
        ..
    } = branch(&db);
    let vault_count = cash_count("100x100 20x100");
    assert_eq!(
        code(bank.desk().open_vault(&teller, Currency::USD, &vault_count)),
        "forbidden"
    );
    assert_eq!(code(bank.desk().vault(&teller, Currency::USD)), "forbidden");
    assert!(bank
        .desk()
        .vault(&supervisor, Currency::USD)
        .unwrap()
        .is_none());
    let view = bank
        .desk()
        .open_vault(&supervisor, Currency::USD, &vault_count)
        .expect("open");
    assert_eq!(view.opening_total, money("12000.00"));
    // The very first count finds an empty book: the whole count is posted as over.
    assert_eq!(view.opening_difference, money("12000.00"));
    assert_eq!(view.holdings, "100x100 20x100");
    assert_eq!(
        code(
            bank.desk()
                .open_vault(&supervisor, Currency::USD, &vault_count)
        ),
        "vault_already_open"
    );
    // Each currency has its own vault.
    let eur = bank
        .desk()
        .open_vault(&supervisor, Currency::EUR, &cash_count("50x10"))
        .expect("EUR");
    assert_eq!(eur.holdings_total, money("500.00"));
    assert_audit_ok_as(&mut bank, &supervisor);
}

#[test]
fn a_float_comes_from_the_vault_with_a_supervisors_approval() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        supervisor,
        teller,
        ..
    } = branch(&db);
    let float = cash_count("100x4 20x5");
    assert_eq!(
        code(
            bank.desk()
                .open_drawer(&teller, Currency::USD, &float, Some(&supervisor_approval()))
        ),
        "vault_not_open"
    );
    bank.desk()
        .open_vault(&supervisor, Currency::USD, &cash_count("100x10 20x10"))
        .unwrap();
    assert_eq!(
        code(
            bank.desk()
                .open_drawer(&teller, Currency::USD, &float, None)
        ),
        "approval_required"
    );
    // The vault holds ten 20s: a float of eleven is refused, naming the denomination.
    let refused = bank
        .desk()
        .open_drawer(
            &teller,
            Currency::USD,
            &cash_count("20x11"),
            Some(&supervisor_approval()),
        )
        .unwrap_err();
    assert_eq!(refused.code(), "vault_short");
    assert!(
        refused.to_string().contains("not enough pieces of 20"),
        "{refused}"
    );
    assert!(
        !refused.to_string().contains("10"),
        "the vault's count stays unsaid: {refused}"
    );
    let drawer = bank
        .desk()
        .open_drawer(&teller, Currency::USD, &float, Some(&supervisor_approval()))
        .expect("open");
    assert_eq!(drawer.opening_float, money("500.00"));
    let vault = bank
        .desk()
        .vault(&supervisor, Currency::USD)
        .unwrap()
        .unwrap();
    assert_eq!(vault.holdings, "100x6 20x5");
    assert_eq!(vault.moves.len(), 1);
    let float_move = &vault.moves[0];
    assert_eq!(float_move.kind, MovementKind::Float);
    assert!(!float_move.into_vault);
    assert_eq!(float_move.approved_by.as_deref(), Some(SUPERVISOR));
    assert_eq!(float_move.teller, "tess@bank.local");
    assert_audit_ok_as(&mut bank, &supervisor);
}

#[test]
fn drops_and_top_ups_move_counted_cash_once_per_key() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        supervisor,
        teller,
        account,
    } = branch(&db);
    open_drawer(&mut bank, &teller, "100x4 20x5").unwrap();
    bank.money()
        .deposit(&teller, &cash(&account, "1000.00"), None)
        .unwrap();
    let drop = cash_count("100x10");
    let key = key();
    let approval = supervisor_approval();
    let first = bank
        .desk()
        .move_drawer_cash(&teller, VaultTransfer::Drop, &drop, &approval, &key, None)
        .expect("drop");
    assert_eq!(first.drops, money("1000.00"));
    // Sent again (a lost answer): applied once.
    let again = bank
        .desk()
        .move_drawer_cash(&teller, VaultTransfer::Drop, &drop, &approval, &key, None)
        .expect("replayed");
    assert_eq!(again.drops, money("1000.00"));
    // The same key for another step is a conflict; nothing moves.
    assert_eq!(
        code(bank.desk().move_drawer_cash(
            &teller,
            VaultTransfer::TopUp,
            &cash_count("20x1"),
            &approval,
            &key,
            None
        )),
        "idempotency_conflict"
    );
    let topped = bank
        .desk()
        .move_drawer_cash(
            &teller,
            VaultTransfer::TopUp,
            &cash_count("1x50"),
            &approval,
            &key_2(),
            None,
        )
        .expect("top-up");
    assert_eq!(topped.top_ups, money("50.00"));
    // A teller cannot approve their own step, and a top-up needs pieces the vault holds.
    let own = teller::services::Approval::Typed {
        supervisor: email("tess@bank.local"),
        password: secret(PASSWORD),
    };
    assert_eq!(
        code(bank.desk().move_drawer_cash(
            &teller,
            VaultTransfer::TopUp,
            &cash_count("1x1"),
            &own,
            &key_2(),
            None
        )),
        "approval_refused"
    );
    let vault = bank
        .desk()
        .vault(&supervisor, Currency::USD)
        .unwrap()
        .unwrap();
    let ones = vault
        .holdings
        .split(' ')
        .find(|part| part.starts_with("1x"))
        .unwrap()
        .to_string();
    let too_many = format!("1x{}", ones[2..].parse::<u32>().unwrap() + 1);
    assert_eq!(
        code(bank.desk().move_drawer_cash(
            &teller,
            VaultTransfer::TopUp,
            &cash_count(&too_many),
            &approval,
            &key_2(),
            None
        )),
        "vault_short"
    );
    // The close is blind; the expected cash counts the drop and the top-up.
    let session = bank.desk().drawer(&teller).unwrap().unwrap().session_id;
    let closed = bank
        .desk()
        .close_drawer(&teller, session, &cash_count("100x4 20x5 1x50"))
        .expect("close");
    assert_eq!(closed.expected, Some(money("550.00")));
    assert_eq!(closed.over_short, Some(money("0.00")));
    let kinds: Vec<MovementKind> = bank
        .desk()
        .vault(&supervisor, Currency::USD)
        .unwrap()
        .unwrap()
        .moves
        .iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            MovementKind::Float,
            MovementKind::CashDrop,
            MovementKind::TopUp,
            MovementKind::CashReturn
        ]
    );
    assert_audit_ok_as(&mut bank, &supervisor);
}

fn key_2() -> teller::domain::IdempotencyKey {
    key()
}

#[test]
fn closing_a_drawer_returns_its_counted_cash_to_the_vault() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        supervisor,
        teller,
        account,
    } = branch(&db);
    ensure_vault(&mut bank);
    let before = bank
        .desk()
        .vault(&supervisor, Currency::USD)
        .unwrap()
        .unwrap();
    open_drawer(&mut bank, &teller, "100x4 20x5").unwrap();
    bank.money()
        .deposit(&teller, &cash(&account, "120.00"), None)
        .unwrap();
    let session = bank.desk().drawer(&teller).unwrap().unwrap().session_id;
    // Counted 600.00 against 620.00 expected: 20.00 short, and 600.00 back to the vault.
    let closed = bank
        .desk()
        .close_drawer(&teller, session, &cash_count("100x5 20x5"))
        .unwrap();
    assert_eq!(closed.over_short, Some(money("-20.00")));
    let after = bank
        .desk()
        .vault(&supervisor, Currency::USD)
        .unwrap()
        .unwrap();
    assert_eq!(
        after.holdings_total - before.holdings_total,
        money("100.00")
    );
    let returned = after.moves.last().unwrap();
    assert_eq!(returned.kind, MovementKind::CashReturn);
    assert_eq!(returned.pieces, "100x5 20x5");
    assert_eq!(returned.amount, money("600.00"));
    assert_audit_ok_as(&mut bank, &supervisor);
}

#[test]
fn the_vault_is_counted_once_its_drawers_are_closed_and_then_moves_no_more() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        supervisor,
        teller,
        ..
    } = branch(&db);
    bank.desk()
        .open_vault(&supervisor, Currency::USD, &cash_count("100x10"))
        .unwrap();
    open_drawer(&mut bank, &teller, "100x2").unwrap();
    let refused = bank
        .desk()
        .count_vault(&supervisor, Currency::USD, &cash_count("100x8"))
        .unwrap_err();
    assert_eq!(refused.code(), "day_not_ready");
    assert!(refused.to_string().contains("tess@bank.local"), "{refused}");
    let session = bank.desk().drawer(&teller).unwrap().unwrap().session_id;
    bank.desk()
        .close_drawer(&teller, session, &cash_count("100x2"))
        .unwrap();
    assert_eq!(
        code(
            bank.desk()
                .count_vault(&teller, Currency::USD, &cash_count("100x10"))
        ),
        "forbidden"
    );
    // One note missing: 100.00 short, posted as over/short.
    let counted = bank
        .desk()
        .count_vault(&supervisor, Currency::USD, &cash_count("100x9"))
        .unwrap();
    let closing = counted.closing.unwrap();
    assert_eq!(closing.expected, money("1000.00"));
    assert_eq!(closing.difference, money("-100.00"));
    assert_eq!(
        code(
            bank.desk()
                .count_vault(&supervisor, Currency::USD, &cash_count("100x9"))
        ),
        "vault_counted"
    );
    assert_eq!(
        code(open_drawer(&mut bank, &teller, "100x1")),
        "vault_counted"
    );
    assert_audit_ok_as(&mut bank, &supervisor);
}

#[test]
fn the_day_closes_only_when_every_figure_proves() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        supervisor,
        teller,
        account,
    } = branch(&db);
    assert_eq!(code(bank.desk().end_of_day(&teller, None)), "forbidden");
    let none = bank.desk().end_of_day(&supervisor, None).unwrap_err();
    assert_eq!(none.code(), "day_not_ready");
    assert!(none.to_string().contains("no vault was opened"), "{none}");
    bank.desk()
        .open_vault(&supervisor, Currency::USD, &cash_count("100x50"))
        .unwrap();
    open_drawer(&mut bank, &teller, "100x5").unwrap();
    bank.money()
        .deposit(&teller, &cash_with_id(&account, "12000.00"), None)
        .unwrap();
    let open = bank.desk().end_of_day(&supervisor, None).unwrap_err();
    assert_eq!(open.code(), "day_not_ready");
    assert!(
        open.to_string()
            .contains("drawer of tess@bank.local is open"),
        "{open}"
    );
    assert!(
        open.to_string().contains("USD vault is not counted"),
        "{open}"
    );
    let session = bank.desk().drawer(&teller).unwrap().unwrap().session_id;
    bank.desk()
        .close_drawer(&teller, session, &cash_count("100x125"))
        .unwrap();
    let uncounted = bank.desk().end_of_day(&supervisor, None).unwrap_err();
    assert!(!uncounted.to_string().contains("drawer"), "{uncounted}");
    bank.desk()
        .count_vault(&supervisor, Currency::USD, &cash_count("100x170"))
        .unwrap();
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    assert_eq!(
        code(bank.desk().end_of_day(&supervisor, Some(tomorrow))),
        "day_not_ready"
    );
    let report = bank
        .desk()
        .end_of_day(&supervisor, None)
        .expect("the day closes");
    assert!(!report.already_closed);
    assert!(report.audit.ok);
    assert_eq!(report.chain_head.len(), 64);
    assert_eq!(report.drawers.len(), 1);
    let drawer = &report.drawers[0];
    assert_eq!(drawer.teller, "tess@bank.local");
    assert_eq!(drawer.session.expected, Some(money("12500.00")));
    assert_eq!(drawer.session.over_short, Some(money("0.00")));
    assert_eq!(report.vaults.len(), 1);
    let vault = &report.vaults[0];
    assert_eq!(vault.closing.as_ref().unwrap().difference, money("0.00"));
    assert_eq!(report.ctr_customers, 1);
    assert_eq!(report.cash.len(), 1);
    // The fixture's 5,000.00 opening deposit and the counter's 12,000.00.
    assert_eq!(report.cash[0].cash_in, money("17000.00"));
    let kinds: Vec<(MovementKind, i64)> =
        report.movements.iter().map(|m| (m.kind, m.count)).collect();
    assert!(kinds.contains(&(MovementKind::Float, 1)), "{kinds:?}");
    assert!(kinds.contains(&(MovementKind::CashReturn, 1)), "{kinds:?}");
    // The day is closed: no cash step is dated into it.
    assert_eq!(code(open_drawer(&mut bank, &teller, "100x1")), "day_closed");
    assert_eq!(
        code(
            bank.desk()
                .open_vault(&supervisor, Currency::EUR, &cash_count("50x1"))
        ),
        "day_closed"
    );
    // Asked again, the same proof.
    let again = bank.desk().end_of_day(&supervisor, None).unwrap();
    assert!(again.already_closed);
    assert_eq!(again.chain_head, report.chain_head);
    assert_eq!(again.closed_at, report.closed_at);
}

#[test]
fn a_drawer_above_its_limit_counts_its_top_ups_and_drops() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        supervisor,
        teller,
        account,
    } = branch(&db);
    // Float 19,000.00 against the 20,000.00 limit: 1,500.00 crosses it (warned); the next
    // cash-in needs a supervisor, until a drop of 5,000.00 makes room.
    open_drawer(&mut bank, &teller, "100x190").unwrap();
    let crossing = bank
        .money()
        .deposit(&teller, &cash(&account, "1500.00"), None)
        .unwrap();
    assert!(crossing.drawer_over_limit);
    assert_eq!(
        code(
            bank.money()
                .deposit(&teller, &cash(&account, "10.00"), None)
        ),
        "approval_required"
    );
    bank.desk()
        .move_drawer_cash(
            &teller,
            VaultTransfer::Drop,
            &cash_count("100x50"),
            &supervisor_approval(),
            &key(),
            None,
        )
        .unwrap();
    let done = bank
        .money()
        .deposit(&teller, &cash(&account, "10.00"), None)
        .expect("room after the drop");
    assert!(!done.drawer_over_limit);
    // Approved above the limit, the teller is warned the drawer is over it now.
    let over = bank
        .money()
        .deposit(
            &teller,
            &cash_with_id(&account, "6000.00"),
            Some(&supervisor_approval()),
        )
        .unwrap();
    assert!(over.drawer_over_limit);
    assert_audit_ok_as(&mut bank, &supervisor);
}

#[test]
fn a_supervisor_sets_a_tellers_own_drawer_limit() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        supervisor,
        teller,
        account,
    } = branch(&db);
    open_drawer(&mut bank, &teller, "100x5").unwrap();
    let tess = email("tess@bank.local");
    assert_eq!(
        code(
            bank.desk()
                .set_drawer_limit(&teller, &tess, Some(amount("100000")))
        ),
        "forbidden"
    );
    assert_eq!(
        code(bank.desk().set_drawer_limit(
            &supervisor,
            &email("carl@example.com"),
            Some(amount("1"))
        )),
        "not_found"
    );
    let set = bank
        .desk()
        .set_drawer_limit(&supervisor, &tess, Some(amount("1000.00")))
        .unwrap();
    assert!(set.own);
    // 500.00 in the drawer: 600.00 more crosses her own 1,000.00 (warned); then the next
    // cash-in needs a supervisor.
    assert!(
        bank.money()
            .deposit(&teller, &cash(&account, "600.00"), None)
            .unwrap()
            .drawer_over_limit
    );
    assert_eq!(
        code(
            bank.money()
                .deposit(&teller, &cash(&account, "10.00"), None)
        ),
        "approval_required"
    );
    let back = bank
        .desk()
        .set_drawer_limit(&supervisor, &tess, None)
        .unwrap();
    assert!(!back.own);
    assert_eq!(back.limit, money("20000.00"));
    bank.money()
        .deposit(&teller, &cash(&account, "10.00"), None)
        .expect("the bank's limit again");
}

#[test]
fn a_vault_day_left_uncounted_past_midnight_is_counted_before_the_next_opens() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        supervisor,
        teller,
        ..
    } = branch(&db);
    bank.desk()
        .open_vault(&supervisor, Currency::USD, &cash_count("100x10"))
        .unwrap();
    open_drawer(&mut bank, &teller, "100x2").unwrap();
    // The drawer stayed open past midnight: its vault day is yesterday's now.
    use diesel::connection::SimpleConnection;
    db.owner_bank()
        .connection()
        .batch_execute("UPDATE vault_days SET business_date = business_date - INTERVAL 1 DAY")
        .unwrap();
    let refused = bank
        .desk()
        .open_vault(&supervisor, Currency::USD, &cash_count("100x8"))
        .unwrap_err();
    assert_eq!(refused.code(), "day_not_ready");
    assert!(
        refused.to_string().contains("is not counted yet"),
        "{refused}"
    );
    // The drawer closes into yesterday's vault day, which is then counted; today's opens.
    let session = bank.desk().drawer(&teller).unwrap().unwrap().session_id;
    bank.desk()
        .close_drawer(&teller, session, &cash_count("100x2"))
        .unwrap();
    let counted = bank
        .desk()
        .count_vault(&supervisor, Currency::USD, &cash_count("100x10"))
        .unwrap();
    assert_eq!(counted.closing.unwrap().difference, money("0.00"));
    let today = bank
        .desk()
        .open_vault(&supervisor, Currency::USD, &cash_count("100x10"))
        .unwrap();
    assert_eq!(today.opening_difference, money("0.00"));
    assert_audit_ok_as(&mut bank, &supervisor);
}
