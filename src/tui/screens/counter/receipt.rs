//! The receipt of a finished operation (reference, time, teller, new balance), drawn on the
//! screen and, on request, written to a text file in the export folder.

use std::path::PathBuf;

use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{operation_label, Asked, CounterScreen, Pending, Stage, Stop};
use crate::domain::{amount_in_words, format_money_grouped};
use crate::services::MoneyResult;
use crate::tui::context::{Ctx, Flow, Route, View};
use crate::tui::desk::Operation;
use crate::tui::keys::Cmd;
use crate::tui::screens::{label_span, message_line, money, panel, LABEL_WIDTH};
use crate::tui::strings as s;
use crate::tui::strings_day as sd;
use crate::tui::theme;
use crate::tui::widgets::dialog;
use crate::tui::widgets::money_form;
use crate::tui::worker::Job;

/// The receipt file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptFile {
    NotWritten,
    Writing,
    Written(PathBuf),
    Failed(String),
}

/// A finished operation: what the receipt says, and its file.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub result: MoneyResult,
    pub pending: Pending,
    /// "Tom Teller (teller@bank.local)".
    pub teller: String,
    pub file: ReceiptFile,
}

impl CounterScreen {
    /// A key while the receipt is shown: write it, or start the next operation.
    pub(super) fn on_done_command(
        &mut self,
        receipt: Box<Receipt>,
        cmd: Cmd,
        ctx: &mut Ctx,
    ) -> Flow {
        let operation = receipt.pending.operation;
        match cmd {
            Cmd::Receipt => {
                self.stage = Stage::Done(receipt);
                self.write_receipt(ctx);
            }
            Cmd::Submit | Cmd::Back => {
                let customer = self.customer.clone();
                let account = self.account.clone();
                self.reset(customer, operation, account);
                if cmd == Cmd::Back {
                    return Flow::Go(Route::Card);
                }
                if operation == Operation::Transfer {
                    self.focus.set(Stop::To);
                }
            }
            _ => self.stage = Stage::Done(receipt),
        }
        Flow::Stay
    }

    /// Writes the receipt to `teller-receipt-<reference>.txt` (through the worker).
    fn write_receipt(&mut self, ctx: &mut Ctx) {
        if self.requests.is_waiting(Asked::Receipt) {
            return;
        }
        let Stage::Done(receipt) = &mut self.stage else {
            return;
        };
        let Receipt {
            result,
            pending,
            teller,
            file,
        } = receipt.as_mut();
        let lines = receipt_rows(result, pending, teller, ctx.clock.local(result.at));
        let mut text = format!("{}\n{}\n\n", s::RECEIPT_FILE_HEADING, s::RECEIPT_FILE_RULE);
        for (label, value) in lines {
            text.push_str(&format!("{label:<LABEL_WIDTH$}{value}\n"));
        }
        let path = ctx
            .config
            .export_dir
            .join(format!("teller-receipt-{}.txt", result.id));
        *file = ReceiptFile::Writing;
        self.requests
            .ask(ctx, Asked::Receipt, Job::WriteReceipt { path, text });
    }
}

/// The receipt as (label, value) rows, for the screen and the file alike.
pub fn receipt_rows(
    result: &MoneyResult,
    pending: &Pending,
    teller: &str,
    local_time: chrono::NaiveDateTime,
) -> Vec<(&'static str, String)> {
    let account = pending.account.as_str();
    let new_balance = result
        .balances
        .iter()
        .find(|(n, _)| n.as_str() == account)
        .map(|(_, b)| format!("{} {}", result.currency, format_money_grouped(*b)))
        .unwrap_or_else(|| s::EMPTY_VALUE.to_string());
    let mut rows = vec![
        (s::REFERENCE, format!("#{}", result.id)),
        (s::TIME, local_time.format(s::TIME_FORMAT).to_string()),
        (s::RECEIPT_TELLER, teller.to_string()),
    ];
    // Served over SSH: the till it was made at (the direct app's receipts have none).
    if result.device != crate::domain::DeviceName::LOCAL {
        rows.push((s::RECEIPT_DEVICE, result.device.clone()));
    }
    rows.extend([
        (s::RECEIPT_CUSTOMER, pending.customer.clone()),
        (
            s::RECEIPT_OPERATION,
            operation_label(pending.operation).to_string(),
        ),
    ]);
    match &pending.to {
        Some(to) => {
            rows.push((s::FIELD_FROM, pending.account.grouped()));
            let name = money_form::recipient_suffix(pending.recipient.as_deref());
            rows.push((s::FIELD_TO, format!("{}{name}", to.grouped())));
        }
        None => rows.push((s::FIELD_ACCOUNT, pending.account.grouped())),
    }
    rows.push((
        s::FIELD_AMOUNT,
        format!("{} {}", result.currency, money(result.amount)),
    ));
    rows.push(("", amount_in_words(result.amount, result.currency.as_str())));
    if let Some(memo) = &result.memo {
        rows.push((s::FIELD_MEMO, memo.clone()));
    }
    rows.push((s::NEW_BALANCE, new_balance));
    if let Some(supervisor) = &pending.approved_by {
        rows.push((s::RECEIPT_APPROVED_BY, supervisor.clone()));
    }
    rows
}

/// The receipt in the counter's place, with the state of its file.
pub(super) fn render_done(frame: &mut Frame, area: Rect, view: &View, receipt: &Receipt) {
    let Receipt {
        result,
        pending,
        teller,
        file,
    } = receipt;
    let theme = view.theme;
    let block = panel(s::RECEIPT_PANEL, theme);
    let inner = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    let heading = if result.replayed {
        s::COUNTER_REPLAYED
    } else {
        s::COUNTER_DONE
    };
    let mut lines = vec![message_line(theme::OK_MARKER, heading, theme.success)];
    // The drawer is now above its limit: the next cash-in needs a drop first (or a supervisor).
    lines.push(if result.drawer_over_limit {
        message_line(theme::ERROR_MARKER, sd::DRAWER_OVER_LIMIT, theme.error)
    } else {
        Line::default()
    });
    for (label, value) in receipt_rows(result, pending, teller, view.clock.local(result.at)) {
        let style = if label == s::REFERENCE || label == s::NEW_BALANCE {
            theme.title
        } else if label.is_empty() {
            theme.hint
        } else {
            theme.base
        };
        lines.push(Line::from(vec![
            label_span(label, theme),
            Span::styled(value, style),
        ]));
    }
    lines.push(Line::default());
    lines.push(match file {
        ReceiptFile::NotWritten => Line::styled(s::RECEIPT_FILE_HINT, theme.hint),
        ReceiptFile::Writing => dialog::busy_line(view, s::RECEIPT_WRITING),
        ReceiptFile::Written(path) => Line::styled(
            format!(
                "{}{}{}",
                theme::OK_MARKER,
                s::RECEIPT_WRITTEN,
                path.display()
            ),
            theme.success,
        ),
        ReceiptFile::Failed(why) => Line::styled(
            format!("{}{}{why}", theme::ERROR_MARKER, s::RECEIPT_FAILED),
            theme.error,
        ),
    });
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
