//! The results file beside the input (`FILE.results.csv`): one line per line of the input, in
//! order: line, reference, status (done, replayed, refused, invalid), error code, movement.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

pub struct ResultsWriter {
    writer: csv::Writer<BufWriter<File>>,
    path: PathBuf,
}

impl ResultsWriter {
    /// Creates (or replaces) the results file for `input`, with `suffix` ("results").
    pub fn create(input: &Path, suffix: &str) -> std::io::Result<Self> {
        let mut name = input.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".{suffix}.csv"));
        let path = input.with_file_name(name);
        let mut writer = csv::Writer::from_writer(BufWriter::new(crate::files::create(&path)?));
        writer.write_record(["line", "reference", "status", "error", "movement"])?;
        Ok(Self { writer, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn line(
        &mut self,
        line: u64,
        reference: Option<&str>,
        status: &str,
        error: Option<&str>,
        movement: Option<i64>,
    ) -> std::io::Result<()> {
        self.writer.write_record([
            line.to_string().as_str(),
            reference.unwrap_or_default(),
            status,
            error.unwrap_or_default(),
            movement.map(|m| m.to_string()).unwrap_or_default().as_str(),
        ])?;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<PathBuf> {
        self.writer.flush()?;
        Ok(self.path)
    }
}
