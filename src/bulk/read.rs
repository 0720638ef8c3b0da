//! Reading a payment file as a stream: the header first, then one line at a time, each parsed
//! into domain types or reported with its line number, its column and the rule it breaks.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::{MAX_LINE_BYTES, MAX_REPORTED};
use crate::domain::{AccountNumber, Amount, Memo};

/// One valid line of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkLine {
    /// Its line number in the file (the header is line 1).
    pub line: u64,
    pub from: AccountNumber,
    pub to: AccountNumber,
    pub amount: Amount,
    pub memo: Option<Memo>,
    pub reference: Option<String>,
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    /// The column, or "line" when the line as a whole is wrong.
    pub column: String,
    pub rule: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.column, self.rule)
    }
}

/// Why the file as a whole cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path} could not be read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is empty: its first line must name the columns, e.g. to,amount,memo")]
    Empty { path: String },
    #[error("{path} has no header: its first line must name the columns (to, amount, and memo, reference, from if used); it says {found:?}")]
    NoHeader { path: String, found: String },
    #[error("{path}, line 1: {0}", .why)]
    BadHeader { path: String, why: String },
    #[error("{path} changed while it was being posted: post it again (lines already posted are replayed, not repeated)")]
    Changed { path: String },
    /// The file read now is not the one previewed (`--expect-digest`): nothing moved.
    #[error("{path} is not the file that was previewed: its SHA-256 is {found}, the preview's was {expected}; nothing moved (preview it again)")]
    NotPreviewed {
        path: String,
        expected: String,
        found: String,
    },
}

/// Everything the first pass learns, before anything moves.
#[derive(Debug, Clone, Default)]
pub struct FileCheck {
    /// SHA-256 of the file's bytes: the root of every line's key.
    pub digest: [u8; 32],
    pub valid: u64,
    pub invalid: u64,
    /// The first invalid lines (at most `MAX_REPORTED`).
    pub errors: Vec<LineError>,
    /// The valid lines' total, and per payer.
    pub total: Decimal,
    pub by_payer: BTreeMap<String, Decimal>,
}

const COLUMNS: [&str; 5] = ["to", "amount", "memo", "reference", "from"];

/// Where each column is in a line.
#[derive(Debug, Clone, Copy)]
struct Layout {
    to: usize,
    amount: usize,
    memo: Option<usize>,
    reference: Option<usize>,
    from: Option<usize>,
    width: usize,
}

/// A reader that hashes every byte it hands on.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// The lines of a file, one at a time: `Ok` a valid line, `Err` an invalid one.
pub struct LineReader {
    records: csv::ByteRecordsIntoIter<Hashing<BufReader<File>>>,
    layout: Layout,
    payer: Option<AccountNumber>,
    path: String,
}

impl LineReader {
    /// Opens `path` and reads its header. `payer` pays every line (`--from`); without it the
    /// file needs a `from` column.
    pub fn open(path: &Path, payer: Option<&AccountNumber>) -> Result<Self, FileError> {
        Self::open_as(path, &path.display().to_string(), payer)
    }

    /// As `open`, naming the file `shown` in messages (a private copy names its source).
    pub fn open_as(
        path: &Path,
        shown: &str,
        payer: Option<&AccountNumber>,
    ) -> Result<Self, FileError> {
        let shown = shown.to_string();
        let file = File::open(path).map_err(|source| FileError::Io {
            path: shown.clone(),
            source,
        })?;
        let hashing = Hashing {
            inner: BufReader::new(file),
            hasher: Sha256::new(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(hashing);
        let mut records = reader.byte_records();
        let header = match records.next() {
            None => return Err(FileError::Empty { path: shown }),
            Some(Err(e)) => {
                return Err(FileError::BadHeader {
                    path: shown,
                    why: e.to_string(),
                })
            }
            Some(Ok(header)) => header,
        };
        drop(records);
        let layout = layout(&header, payer.is_some(), &shown)?;
        Ok(Self {
            records: reader.into_byte_records(),
            layout,
            payer: payer.cloned(),
            path: shown,
        })
    }

    /// The SHA-256 of every byte read so far (the whole file once the lines are done).
    pub fn digest(self) -> [u8; 32] {
        self.records
            .into_reader()
            .into_inner()
            .hasher
            .finalize()
            .into()
    }

    pub fn path(&self) -> &str {
        &self.path
    }
}

impl Iterator for LineReader {
    type Item = Result<BulkLine, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        let record = self.records.next()?;
        Some(match record {
            Err(e) => Err(LineError {
                line: e.position().map_or(0, |p| p.line()),
                column: "line".into(),
                rule: csv_rule(&e),
            }),
            Ok(record) => parse(&record, &self.layout, self.payer.as_ref()),
        })
    }
}

fn csv_rule(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Io(e) => format!("could not be read ({e})"),
        _ => error.to_string(),
    }
}

fn layout(header: &csv::ByteRecord, has_payer: bool, path: &str) -> Result<Layout, FileError> {
    let names: Vec<String> = header
        .iter()
        .map(|raw| String::from_utf8_lossy(raw).trim().to_ascii_lowercase())
        .collect();
    let bad = |why: String| FileError::BadHeader {
        path: path.to_string(),
        why,
    };
    if !names.iter().any(|n| n == "to") || !names.iter().any(|n| n == "amount") {
        return Err(FileError::NoHeader {
            path: path.to_string(),
            found: names.join(","),
        });
    }
    for (i, name) in names.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) {
            return Err(bad(format!(
                "unknown column {name:?} (column {}): the columns are to, amount, memo, reference and from",
                i + 1
            )));
        }
        if names[..i].contains(name) {
            return Err(bad(format!("the column {name:?} is named twice")));
        }
    }
    let at = |name: &str| names.iter().position(|n| n == name);
    let from = at("from");
    if from.is_none() && !has_payer {
        return Err(bad(
            "no from column: name the payer with --from, or give each line a from".into(),
        ));
    }
    Ok(Layout {
        to: at("to").unwrap_or_default(),
        amount: at("amount").unwrap_or_default(),
        memo: at("memo"),
        reference: at("reference"),
        from,
        width: names.len(),
    })
}

fn parse(
    record: &csv::ByteRecord,
    layout: &Layout,
    payer: Option<&AccountNumber>,
) -> Result<BulkLine, LineError> {
    let line = record.position().map_or(0, csv::Position::line);
    let error = |column: &str, rule: String| LineError {
        line,
        column: column.to_string(),
        rule,
    };
    if record.as_slice().len() > MAX_LINE_BYTES {
        return Err(error(
            "line",
            format!("is longer than {MAX_LINE_BYTES} bytes"),
        ));
    }
    if record.len() != layout.width {
        return Err(error(
            "line",
            format!(
                "has {} columns, the header names {}",
                record.len(),
                layout.width
            ),
        ));
    }
    let text = |index: usize, column: &str| -> Result<String, LineError> {
        let raw = record.get(index).unwrap_or_default();
        std::str::from_utf8(raw)
            .map(|s| s.trim().to_string())
            .map_err(|_| error(column, "is not UTF-8 text".into()))
    };
    let optional = |index: Option<usize>, column: &str| -> Result<Option<String>, LineError> {
        index
            .map(|i| text(i, column))
            .transpose()
            .map(|value| value.filter(|v| !v.is_empty()))
    };
    let to =
        AccountNumber::parse(&text(layout.to, "to")?).map_err(|e| error("to", e.to_string()))?;
    let amount = Amount::parse(&text(layout.amount, "amount")?)
        .map_err(|e| error("amount", e.to_string()))?;
    let memo = match optional(layout.memo, "memo")? {
        Some(raw) => Memo::parse_optional(&raw).map_err(|e| error("memo", e.to_string()))?,
        None => None,
    };
    let reference = optional(layout.reference, "reference")?;
    if let Some(reference) = &reference {
        if reference.chars().count() > 64 || reference.chars().any(char::is_control) {
            return Err(error(
                "reference",
                "at most 64 characters, no control characters".into(),
            ));
        }
    }
    let from = match (layout.from, payer) {
        (Some(index), _) => {
            let raw = text(index, "from")?;
            match (raw.is_empty(), payer) {
                (true, Some(payer)) => payer.clone(),
                (false, Some(payer)) => {
                    // `--from` names the payer of the whole file: a line naming another one is
                    // a mistake (or a planted line), never an override.
                    let named =
                        AccountNumber::parse(&raw).map_err(|e| error("from", e.to_string()))?;
                    if &named != payer {
                        return Err(error(
                            "from",
                            format!("is {named}, but --from names {payer} as the payer"),
                        ));
                    }
                    named
                }
                _ => AccountNumber::parse(&raw).map_err(|e| error("from", e.to_string()))?,
            }
        }
        (None, Some(payer)) => payer.clone(),
        (None, None) => return Err(error("from", "no payer".into())),
    };
    Ok(BulkLine {
        line,
        from,
        to,
        amount,
        memo,
        reference,
    })
}

/// The first pass: every line checked, counted and summed, the file's digest taken. Memory
/// stays flat whatever the file's size (the payers' totals aside).
pub fn check_file(path: &Path, payer: Option<&AccountNumber>) -> Result<FileCheck, FileError> {
    check_file_as(path, &path.display().to_string(), payer)
}

/// As `check_file`, naming the file `shown` in messages.
pub fn check_file_as(
    path: &Path,
    shown: &str,
    payer: Option<&AccountNumber>,
) -> Result<FileCheck, FileError> {
    let mut reader = LineReader::open_as(path, shown, payer)?;
    let mut check = FileCheck::default();
    let mut references: std::collections::HashSet<[u8; 16]> = std::collections::HashSet::new();
    for item in reader.by_ref() {
        match item {
            Ok(line) => {
                if let Some(reference) = &line.reference {
                    // A reference names one payment: twice in a file is a mistake.
                    let mut short = [0u8; 16];
                    short.copy_from_slice(&Sha256::digest(reference.as_bytes())[..16]);
                    if !references.insert(short) {
                        push_error(
                            &mut check,
                            LineError {
                                line: line.line,
                                column: "reference".into(),
                                rule: format!("{reference:?} is used by an earlier line"),
                            },
                        );
                        continue;
                    }
                }
                check.valid += 1;
                check.total += line.amount.value();
                *check
                    .by_payer
                    .entry(line.from.as_str().to_string())
                    .or_default() += line.amount.value();
            }
            Err(error) => push_error(&mut check, error),
        }
    }
    check.digest = reader.digest();
    Ok(check)
}

fn push_error(check: &mut FileCheck, error: LineError) {
    check.invalid += 1;
    if check.errors.len() < MAX_REPORTED {
        check.errors.push(error);
    }
}
