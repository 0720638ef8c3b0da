// @generated shape of `diesel print-schema` for migrations/ (keep in sync with the SQL).

diesel::table! {
    accounts (id) {
        id -> Bigint,
        #[max_length = 10]
        number -> Varchar,
        owner_id -> Nullable<Bigint>,
        #[max_length = 16]
        kind -> Varchar,
        #[max_length = 128]
        label -> Nullable<Varchar>,
        #[max_length = 3]
        currency -> Varchar,
        #[max_length = 8]
        status -> Varchar,
        balance -> Decimal,
        created_at -> Datetime,
        updated_at -> Datetime,
        last_movement_id -> Nullable<Bigint>,
    }
}

diesel::table! {
    approval_failures (requester, approver_id) {
        #[max_length = 254]
        requester -> Varchar,
        approver_id -> Bigint,
        failed -> Integer,
        locked_until -> Nullable<Datetime>,
        updated_at -> Datetime,
    }
}

diesel::table! {
    approval_requests (id) {
        id -> Bigint,
        #[max_length = 16]
        kind -> Varchar,
        #[max_length = 64]
        digest -> Char,
        amount -> Decimal,
        #[max_length = 3]
        currency -> Varchar,
        #[max_length = 64]
        accounts -> Varchar,
        #[max_length = 254]
        customer -> Nullable<Varchar>,
        #[max_length = 64]
        idempotency_key -> Varchar,
        teller_id -> Bigint,
        #[max_length = 64]
        device -> Varchar,
        requested_at -> Datetime,
        expires_at -> Datetime,
        #[max_length = 16]
        status -> Varchar,
        #[max_length = 254]
        decided_by -> Nullable<Varchar>,
        #[max_length = 140]
        reason -> Nullable<Varchar>,
        movement_id -> Nullable<Bigint>,
    }
}

diesel::table! {
    bank_settings (name) {
        #[max_length = 64]
        name -> Varchar,
        #[max_length = 64]
        value -> Varchar,
        updated_at -> Datetime,
    }
}

diesel::table! {
    cash_ids (movement_id) {
        movement_id -> Bigint,
        customer_id -> Nullable<Bigint>,
        #[max_length = 20]
        id_type -> Varchar,
        #[max_length = 30]
        id_number -> Varchar,
        #[max_length = 2]
        id_country -> Char,
        id_expiry -> Date,
        #[max_length = 254]
        recorded_by -> Varchar,
        recorded_at -> Datetime,
    }
}

diesel::table! {
    audit_account_sums (account_id) {
        account_id -> Bigint,
        journal_sum -> Decimal,
        checkpoint_id -> Bigint,
    }
}

diesel::table! {
    audit_checkpoints (id) {
        id -> Bigint,
        at -> Datetime,
        #[max_length = 254]
        actor -> Varchar,
        seal_id -> Bigint,
        last_movement_id -> Bigint,
        last_audit_id -> Bigint,
        movements -> Bigint,
        audit_lines -> Bigint,
        next_drawer_session_id -> Bigint,
        next_vault_day_id -> Bigint,
        next_login_session_id -> Bigint,
        full_check -> Bool,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Bigint,
        at -> Datetime,
        #[max_length = 254]
        actor -> Varchar,
        #[max_length = 32]
        action -> Varchar,
        #[max_length = 254]
        subject -> Nullable<Varchar>,
        #[max_length = 32]
        outcome -> Varchar,
        #[max_length = 512]
        detail -> Nullable<Varchar>,
        #[max_length = 254]
        approved_by -> Nullable<Varchar>,
        #[max_length = 64]
        device -> Varchar,
    }
}

diesel::table! {
    devices (id) {
        id -> Bigint,
        #[max_length = 64]
        name -> Varchar,
        #[max_length = 2048]
        public_key -> Varchar,
        #[max_length = 64]
        fingerprint -> Varchar,
        #[max_length = 254]
        added_by -> Varchar,
        #[max_length = 254]
        approved_by -> Nullable<Varchar>,
        added_at -> Datetime,
        #[max_length = 254]
        revoked_by -> Nullable<Varchar>,
        revoked_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    ledger_links (seal_id, seq) {
        seal_id -> Bigint,
        seq -> Integer,
        #[max_length = 16]
        row_table -> Varchar,
        row_id -> Bigint,
        #[max_length = 64]
        link -> Char,
    }
}

diesel::table! {
    ledger_seals (id) {
        id -> Bigint,
        at -> Datetime,
        #[max_length = 254]
        actor -> Varchar,
        #[max_length = 64]
        head -> Char,
        last_movement_id -> Bigint,
        last_audit_id -> Bigint,
        movement_seen_id -> Bigint,
        audit_seen_id -> Bigint,
        movements -> Bigint,
        audit_lines -> Bigint,
        cash_ids -> Nullable<Bigint>,
    }
}

diesel::table! {
    movements (id) {
        id -> Bigint,
        #[max_length = 72]
        idempotency_key -> Varchar,
        #[max_length = 16]
        kind -> Varchar,
        debit_account_id -> Bigint,
        credit_account_id -> Bigint,
        amount -> Decimal,
        #[max_length = 3]
        currency -> Varchar,
        #[max_length = 140]
        memo -> Nullable<Varchar>,
        debit_balance_after -> Decimal,
        credit_balance_after -> Decimal,
        reverses_id -> Nullable<Bigint>,
        #[max_length = 254]
        actor -> Varchar,
        #[max_length = 254]
        approved_by -> Nullable<Varchar>,
        created_at -> Datetime,
        drawer_session_id -> Nullable<Bigint>,
        #[max_length = 64]
        device -> Varchar,
    }
}

diesel::table! {
    // `open_marker` (generated, for the one-open-session key) is left out on purpose.
    drawer_sessions (id) {
        id -> Bigint,
        teller_id -> Bigint,
        drawer_account_id -> Bigint,
        #[max_length = 3]
        currency -> Varchar,
        opening_float -> Decimal,
        #[max_length = 512]
        opening_count -> Varchar,
        opened_at -> Datetime,
        closed_at -> Nullable<Datetime>,
        counted -> Nullable<Decimal>,
        #[max_length = 512]
        closing_count -> Nullable<Varchar>,
        expected -> Nullable<Decimal>,
        over_short -> Nullable<Decimal>,
        over_short_movement_id -> Nullable<Bigint>,
        vault_day_id -> Nullable<Bigint>,
    }
}

diesel::table! {
    phones (id) {
        id -> Bigint,
        user_id -> Bigint,
        #[max_length = 16]
        number -> Varchar,
    }
}

diesel::table! {
    users (id) {
        id -> Bigint,
        #[max_length = 254]
        email -> Varchar,
        #[max_length = 64]
        name -> Varchar,
        #[max_length = 64]
        surname -> Nullable<Varchar>,
        age -> Smallint,
        #[max_length = 64]
        country -> Varchar,
        #[max_length = 64]
        city -> Nullable<Varchar>,
        #[max_length = 16]
        role -> Varchar,
        #[max_length = 60]
        password_hash -> Varchar,
        failed_logins -> Integer,
        locked_until -> Nullable<Datetime>,
        created_at -> Datetime,
        updated_at -> Datetime,
        must_change_password -> Bool,
    }
}

diesel::table! {
    login_sessions (id) {
        id -> Bigint,
        #[max_length = 64]
        token_hash -> Char,
        user_id -> Bigint,
        created_at -> Datetime,
        last_seen_at -> Datetime,
        expires_at -> Datetime,
        ended_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    business_days (business_date) {
        business_date -> Date,
        #[max_length = 254]
        closed_by -> Varchar,
        closed_at -> Datetime,
        #[max_length = 64]
        chain_head -> Varchar,
        movement_count -> Bigint,
    }
}

diesel::table! {
    drawer_limits (teller_id) {
        teller_id -> Bigint,
        amount -> Decimal,
        #[max_length = 254]
        set_by -> Varchar,
        set_at -> Datetime,
    }
}

diesel::table! {
    tx_guard (token) {
        token -> Bigint,
        n -> Bigint,
    }
}

diesel::table! {
    vault_days (id) {
        id -> Bigint,
        #[max_length = 3]
        currency -> Varchar,
        business_date -> Date,
        vault_account_id -> Bigint,
        #[max_length = 254]
        opened_by -> Varchar,
        opened_at -> Datetime,
        #[max_length = 512]
        opening_count -> Varchar,
        opening_total -> Decimal,
        opening_book -> Decimal,
        #[max_length = 254]
        counted_by -> Nullable<Varchar>,
        counted_at -> Nullable<Datetime>,
        #[max_length = 512]
        closing_count -> Nullable<Varchar>,
        closing_total -> Nullable<Decimal>,
        closing_book -> Nullable<Decimal>,
    }
}

diesel::table! {
    vault_moves (movement_id) {
        movement_id -> Bigint,
        vault_day_id -> Bigint,
        drawer_session_id -> Nullable<Bigint>,
        direction -> Tinyint,
        #[max_length = 512]
        pieces -> Varchar,
    }
}

diesel::table! {
    currencies (code) {
        #[max_length = 3]
        code -> Varchar,
        minor_units -> Tinyint,
        #[max_length = 255]
        denominations -> Varchar,
        #[max_length = 254]
        added_by -> Varchar,
        added_at -> Datetime,
    }
}

diesel::table! {
    fx_rates (id) {
        id -> Bigint,
        #[max_length = 3]
        base -> Varchar,
        #[max_length = 3]
        quote -> Varchar,
        buy -> Decimal,
        sell -> Decimal,
        valid_from -> Datetime,
        valid_until -> Nullable<Datetime>,
        #[max_length = 254]
        set_by -> Varchar,
        set_at -> Datetime,
    }
}

diesel::table! {
    fx_quotes (id) {
        id -> Bigint,
        rate_id -> Bigint,
        #[max_length = 4]
        side -> Varchar,
        rate -> Decimal,
        #[max_length = 3]
        from_currency -> Varchar,
        #[max_length = 3]
        to_currency -> Varchar,
        from_amount -> Decimal,
        to_amount -> Decimal,
        cash_unit -> Nullable<Decimal>,
        margin -> Decimal,
        #[max_length = 254]
        created_by -> Varchar,
        created_at -> Datetime,
        expires_at -> Datetime,
        #[max_length = 64]
        used_key -> Nullable<Varchar>,
        #[max_length = 254]
        used_by -> Nullable<Varchar>,
        used_at -> Nullable<Datetime>,
    }
}

diesel::joinable!(accounts -> users (owner_id));
diesel::joinable!(phones -> users (user_id));
diesel::joinable!(drawer_sessions -> users (teller_id));
diesel::joinable!(login_sessions -> users (user_id));
diesel::joinable!(audit_account_sums -> accounts (account_id));
diesel::joinable!(audit_account_sums -> audit_checkpoints (checkpoint_id));
diesel::joinable!(audit_checkpoints -> ledger_seals (seal_id));
diesel::joinable!(ledger_links -> ledger_seals (seal_id));
diesel::joinable!(approval_failures -> users (approver_id));
diesel::joinable!(cash_ids -> movements (movement_id));
diesel::joinable!(cash_ids -> users (customer_id));
diesel::joinable!(vault_moves -> vault_days (vault_day_id));
diesel::joinable!(vault_moves -> movements (movement_id));
diesel::joinable!(fx_quotes -> fx_rates (rate_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    approval_failures,
    approval_requests,
    audit_account_sums,
    audit_checkpoints,
    audit_log,
    bank_settings,
    business_days,
    cash_ids,
    currencies,
    devices,
    drawer_limits,
    drawer_sessions,
    fx_quotes,
    fx_rates,
    login_sessions,
    ledger_links,
    ledger_seals,
    movements,
    phones,
    tx_guard,
    users,
    vault_days,
    vault_moves
);
