//! A statement as a PDF a customer takes home (pdf-writer, the PDF layer of the Typst
//! typesetter): A4 pages of plain text in the standard Helvetica fonts, which every PDF reader
//! has, so nothing is embedded. Text outside Windows-1252 (the fonts' encoding) prints as '?'.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

use crate::domain::format_money_grouped_in;
use crate::services::{HistoryEntry, LineRate, Party, Statement};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const LINE: f32 = 14.0;
/// Movement lines on a page after the first.
const LINES_PER_PAGE: usize = 50;
/// Movement lines on the first page (below the heading).
const LINES_FIRST_PAGE: usize = 38;

#[derive(Clone, Copy)]
enum Font {
    Regular,
    Bold,
    /// Courier: columns of a report line up.
    Mono,
}

impl Font {
    fn name(self) -> Name<'static> {
        Name(match self {
            Font::Regular => b"F1",
            Font::Bold => b"F2",
            Font::Mono => b"F3",
        })
    }
}

/// One line of text on a page.
struct Text {
    x: f32,
    y: f32,
    font: Font,
    size: f32,
    text: String,
}

/// The statement as the bytes of a PDF file.
pub fn statement_pdf(statement: &Statement) -> Vec<u8> {
    document(&layout(statement))
}

/// A report of plain text lines (end of day) in a fixed-width font, as the bytes of a PDF.
pub fn report_pdf(lines: &[String]) -> Vec<u8> {
    const LINES: usize = 72;
    let pages: Vec<Vec<Text>> = lines
        .chunks(LINES)
        .map(|chunk| {
            chunk
                .iter()
                .enumerate()
                .map(|(i, line)| Text {
                    x: MARGIN - 10.0,
                    y: PAGE_HEIGHT - MARGIN + 10.0 - 10.5 * i as f32,
                    font: Font::Mono,
                    size: 8.0,
                    text: line.clone(),
                })
                .collect()
        })
        .collect();
    if pages.is_empty() {
        return document(&[Vec::new()]);
    }
    document(&pages)
}

fn document(pages: &[Vec<Text>]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let mono = Ref::new(5);
    let mut next = 6;
    let mut page_ids = Vec::new();
    for _ in pages {
        page_ids.push((Ref::new(next), Ref::new(next + 1)));
        next += 2;
    }
    pdf.catalog(catalog).pages(tree);
    let count = i32::try_from(pages.len()).unwrap_or(i32::MAX);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(count);
    for font in [
        (regular, "Helvetica"),
        (bold, "Helvetica-Bold"),
        (mono, "Courier"),
    ] {
        pdf.type1_font(font.0)
            .base_font(Name(font.1.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (texts, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(*content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold)
            .pair(Name(b"F3"), mono);
        page.finish();
        let mut content = Content::new();
        for text in texts {
            content
                .begin_text()
                .set_font(text.font.name(), text.size)
                .next_line(text.x, text.y)
                .show(Str(&win_ansi(&text.text)))
                .end_text();
        }
        pdf.stream(*content_id, &content.finish());
    }
    pdf.finish()
}

/// The statement's text, page by page.
fn layout(s: &Statement) -> Vec<Vec<Text>> {
    let mut pages: Vec<Vec<Text>> = Vec::new();
    let mut page: Vec<Text> = Vec::new();
    let mut y = PAGE_HEIGHT - MARGIN;
    let put = |page: &mut Vec<Text>, y: f32, x: f32, text: String, bold: bool, size: f32| {
        page.push(Text {
            x,
            y,
            font: if bold { Font::Bold } else { Font::Regular },
            size,
            text,
        });
    };
    put(&mut page, y, MARGIN, s.bank.clone(), true, 16.0);
    y -= LINE * 2.0;
    put(
        &mut page,
        y,
        MARGIN,
        format!("Statement of account {}", s.account),
        true,
        12.0,
    );
    y -= LINE;
    if let Some(owner) = &s.owner {
        put(&mut page, y, MARGIN, owner.clone(), false, 10.0);
        y -= LINE;
    }
    put(
        &mut page,
        y,
        MARGIN,
        format!("Period {} to {} (UTC), {}", s.from, s.to, s.currency),
        false,
        10.0,
    );
    y -= LINE * 1.5;
    let totals = [
        ("Opening balance", s.opening),
        ("Money in", s.money_in),
        ("Money out", s.money_out),
        ("Closing balance", s.closing),
    ];
    for (label, amount) in totals {
        put(&mut page, y, MARGIN, label.to_string(), false, 10.0);
        put(
            &mut page,
            y,
            MARGIN + 150.0,
            format_money_grouped_in(amount, s.currency),
            true,
            10.0,
        );
        y -= LINE;
    }
    y -= LINE * 0.5;
    let header = |page: &mut Vec<Text>, y: f32| {
        for (x, title) in COLUMNS {
            page.push(Text {
                x,
                y,
                font: Font::Bold,
                size: 9.0,
                text: title.to_string(),
            });
        }
    };
    header(&mut page, y);
    y -= LINE;
    let mut on_page = 0;
    let mut room = LINES_FIRST_PAGE;
    for line in &s.lines {
        if on_page == room {
            pages.push(std::mem::take(&mut page));
            y = PAGE_HEIGHT - MARGIN;
            header(&mut page, y);
            y -= LINE;
            on_page = 0;
            room = LINES_PER_PAGE;
        }
        let rate = s.rate_of(line.id);
        for (x, cell) in COLUMNS.iter().map(|(x, _)| *x).zip(cells(line, rate)) {
            page.push(Text {
                x,
                y,
                font: Font::Regular,
                size: 9.0,
                text: cell,
            });
        }
        y -= LINE;
        on_page += 1;
    }
    if s.lines.is_empty() {
        page.push(Text {
            x: MARGIN,
            y,
            font: Font::Regular,
            size: 9.0,
            text: "No movements in this period.".into(),
        });
    }
    pages.push(page);
    pages
}

const COLUMNS: [(f32, &str); 6] = [
    (MARGIN, "Date (UTC)"),
    (MARGIN + 85.0, "Kind"),
    (MARGIN + 150.0, "Counterparty"),
    (MARGIN + 240.0, "Amount"),
    (MARGIN + 320.0, "Balance"),
    (MARGIN + 400.0, "Reference, memo"),
];

/// A movement's cells; an exchange names the rate it went at instead of its counterparty.
fn cells(line: &HistoryEntry, rate: Option<&LineRate>) -> [String; 6] {
    let counterparty = match (&line.counterparty, rate) {
        (Party::Exchange, Some(r)) => format!("1 {} = {} {}", r.base, r.rate, r.quote),
        (Party::Cash, _) => "cash".to_string(),
        (Party::Exchange, None) => "exchange".to_string(),
        (Party::Account(number), _) => number.to_string(),
    };
    let memo: String = line
        .memo
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(22)
        .collect();
    [
        line.at.format("%Y-%m-%d %H:%M").to_string(),
        line.kind.as_str().to_string(),
        counterparty,
        format_money_grouped_in(line.amount, line.currency),
        format_money_grouped_in(line.balance_after, line.currency),
        format!("#{} {memo}", line.id),
    ]
}

/// Text in the fonts' encoding: Latin-1 maps to itself; anything else prints as '?'.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match u8::try_from(u32::from(c)) {
            Ok(byte) if byte >= 0x20 && !(0x7F..0xA0).contains(&byte) => byte,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Month, MovementKind};
    use rust_decimal::Decimal;

    fn statement(lines: usize) -> Statement {
        let entry = |i: usize| HistoryEntry {
            id: i64::try_from(i).unwrap(),
            at: chrono::DateTime::from_timestamp(1_772_000_000, 0).unwrap(),
            kind: MovementKind::Deposit,
            amount: Decimal::new(1000, 2),
            currency: crate::domain::Currency::USD,
            counterparty: Party::Cash,
            balance_after: Decimal::new(1000 * (i64::try_from(i).unwrap() + 1), 2),
            key: "k".into(),
            memo: Some("Café ☕".into()),
            device: "local".into(),
        };
        let month = Month::parse("2026-03").unwrap();
        Statement {
            bank: "Teller Bank".into(),
            account: "1000001237".into(),
            owner: Some("Diana Julis".into()),
            currency: crate::domain::Currency::USD,
            month,
            from: month.first_day(),
            to: month.next_first_day().pred_opt().unwrap(),
            opening: Decimal::ZERO,
            lines: (0..lines).map(entry).collect(),
            closing: Decimal::new(1000 * i64::try_from(lines).unwrap(), 2),
            money_in: Decimal::new(1000 * i64::try_from(lines).unwrap(), 2),
            money_out: Decimal::ZERO,
            rates: Vec::new(),
        }
    }

    #[test]
    fn a_statement_is_a_pdf_with_its_figures_and_more_pages_when_long() {
        let short = statement_pdf(&statement(3));
        assert!(short.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&short);
        assert!(text.contains("/Count 1"), "one page");
        assert!(text.contains("Teller Bank"));
        assert!(text.contains("Diana Julis"));
        let long = statement_pdf(&statement(120));
        // 38 on the first page, 50 on the next, 32 on the third.
        assert!(String::from_utf8_lossy(&long).contains("/Count 3"));
    }

    #[test]
    fn text_outside_the_fonts_encoding_prints_as_a_question_mark() {
        assert_eq!(win_ansi("Café ☕"), b"Caf\xe9 ?".to_vec());
        assert_eq!(win_ansi("a\u{7}b"), b"a?b".to_vec());
    }
}
