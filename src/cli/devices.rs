//! `teller device add|list|revoke`: the workstations that may reach the branch server.

use std::io::Read;

use serde_json::{json, Value};

use super::args::DeviceCommand;
use super::output::{print_json, time};
use super::CliError;
use crate::domain::{DeviceKey, DeviceName};
use crate::services::{Actor, Approval, Bank, DeviceView};

pub(super) fn run(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    command: DeviceCommand,
    json: bool,
) -> Result<(), CliError> {
    match command {
        DeviceCommand::Add { name, key } => {
            let name = DeviceName::parse(&name)?;
            let key = DeviceKey::parse(&read_key(&key)?)?;
            let view = bank.people().add_device(actor, &name, &key, approval)?;
            show(&[view], json, false);
        }
        DeviceCommand::List => show(&bank.people().list_devices(actor)?, json, true),
        DeviceCommand::Revoke { name } => {
            let view = bank
                .people()
                .revoke_device(actor, &DeviceName::parse(&name)?)?;
            show(&[view], json, false);
        }
    }
    Ok(())
}

/// The `.pub` file, or standard input for `-` (the only way over SSH: files live on the
/// workstation).
fn read_key(path: &std::path::Path) -> Result<String, CliError> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin().take(16 * 1024).read_to_string(&mut text)?;
        return Ok(text);
    }
    super::served::refuse_server_path("--key")?;
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
    file.take(16 * 1024).read_to_string(&mut text)?;
    Ok(text)
}

fn device_json(view: &DeviceView) -> Value {
    json!({
        "name": view.name,
        "fingerprint": view.fingerprint,
        "added_by": view.added_by,
        "approved_by": view.approved_by,
        "added_at": time(view.added_at),
        "revoked_by": view.revoked_by,
        "revoked_at": view.revoked_at.map(time),
        "active": view.revoked_at.is_none(),
    })
}

fn show(views: &[DeviceView], as_json: bool, list: bool) {
    if as_json {
        let value = match views {
            [one] if !list => device_json(one),
            _ => Value::Array(views.iter().map(device_json).collect()),
        };
        return print_json(&value);
    }
    if views.is_empty() {
        println!("No devices registered: add one with `teller device add NAME --key FILE.pub`.");
    }
    for view in views {
        let state = match (&view.revoked_at, &view.revoked_by) {
            (Some(at), Some(by)) => format!("revoked {} by {by}", time(*at)),
            _ => "active".to_string(),
        };
        println!(
            "{:<20} {}  added {} by {}{}  {state}",
            view.name,
            view.fingerprint,
            time(view.added_at),
            view.added_by,
            view.approved_by
                .as_deref()
                .map_or(String::new(), |a| format!(" (approved by {a})")),
        );
    }
}
