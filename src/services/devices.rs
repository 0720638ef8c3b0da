//! Devices: the workstations registered to reach the branch server (`teller serve`), each by
//! its SSH public key. Admins add (with a second admin's approval, as for staff), list and
//! revoke them; the server lets in only the keys of devices that are not revoked.

use chrono::{DateTime, Utc};

use super::authz::require_supervisor;
use super::bank::now;
use super::users::audit_approved;
use super::Approval;
use super::People;
use super::{Actor, BankError, BankResult};
use crate::db::devices::{self, DeviceRow, NewDevice};
use crate::domain::AuditAction;
use crate::domain::{DeviceKey, DeviceName};

/// A registered device, as `teller device list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceView {
    pub name: String,
    pub fingerprint: String,
    pub added_by: String,
    pub approved_by: Option<String>,
    pub added_at: DateTime<Utc>,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<DeviceRow> for DeviceView {
    fn from(row: DeviceRow) -> Self {
        Self {
            name: row.name,
            fingerprint: row.fingerprint,
            added_by: row.added_by,
            approved_by: row.approved_by,
            added_at: row.added_at.and_utc(),
            revoked_by: row.revoked_by,
            revoked_at: row.revoked_at.map(|at| at.and_utc()),
        }
    }
}

/// A key the branch server lets in, and the device it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveDevice {
    pub name: DeviceName,
    pub fingerprint: String,
    pub public_key: String,
}

impl People<'_> {
    /// Registers a device by its public key (admins; a second admin approves, as for staff).
    pub fn add_device(
        &mut self,
        actor: &Actor,
        name: &DeviceName,
        key: &DeviceKey,
        approval: Option<&Approval>,
    ) -> BankResult<DeviceView> {
        let subject = name.as_str();
        if let Err(e) = require_supervisor(actor, "register a device (supervisors only)") {
            return self
                .bank
                .refused(actor, AuditAction::DeviceAdd, Some(subject), e);
        }
        let approved_by =
            self.bank
                .staff_approval(actor, AuditAction::DeviceAdd, subject, approval)?;
        let stamp = self.bank.stamp(actor);
        let result = self.bank.in_transaction(|conn| {
            if let Some(existing) =
                devices::find_by_name_or_fingerprint(conn, subject, key.fingerprint())?
            {
                let why = if existing.name == subject {
                    format!("the name {subject} is taken (device names are never reused)")
                } else {
                    format!(
                        "this key is already registered, as {} (a key names one device for good)",
                        existing.name
                    )
                };
                return Err(BankError::DeviceTaken(why));
            }
            let at = now();
            devices::insert(
                conn,
                &NewDevice {
                    name: subject,
                    public_key: key.openssh(),
                    fingerprint: key.fingerprint(),
                    added_by: &stamp.actor,
                    approved_by: approved_by.as_deref(),
                    added_at: at,
                },
            )?;
            let detail = format!("key {}", key.fingerprint());
            audit_approved(
                conn,
                &stamp,
                AuditAction::DeviceAdd,
                subject,
                Some(&detail),
                approved_by.as_deref(),
            )?;
            devices::find_for_update(conn, subject)?
                .map(DeviceView::from)
                .ok_or_else(|| BankError::NotFound(format!("The device {subject}")))
        });
        self.bank
            .audited(actor, AuditAction::DeviceAdd, subject, result)
    }

    /// Every device, revoked ones too (admins).
    pub fn list_devices(&mut self, actor: &Actor) -> BankResult<Vec<DeviceView>> {
        if let Err(e) = require_supervisor(actor, "list devices (supervisors only)") {
            return self.bank.refused(actor, AuditAction::DeviceList, None, e);
        }
        Ok(devices::all(&mut self.bank.conn)?
            .into_iter()
            .map(DeviceView::from)
            .collect())
    }

    /// Revokes a device: the server refuses its key from now on and ends its open sessions.
    pub fn revoke_device(&mut self, actor: &Actor, name: &DeviceName) -> BankResult<DeviceView> {
        let subject = name.as_str();
        if let Err(e) = require_supervisor(actor, "revoke a device (supervisors only)") {
            return self
                .bank
                .refused(actor, AuditAction::DeviceRevoke, Some(subject), e);
        }
        let stamp = self.bank.stamp(actor);
        let result = self.bank.in_transaction(|conn| {
            let row = devices::find_for_update(conn, subject)?
                .ok_or_else(|| BankError::NotFound(format!("The device {subject}")))?;
            if row.revoked_at.is_some() {
                return Ok(DeviceView::from(row));
            }
            devices::revoke(conn, subject, &stamp.actor, now())?;
            audit_approved(conn, &stamp, AuditAction::DeviceRevoke, subject, None, None)?;
            devices::find_for_update(conn, subject)?
                .map(DeviceView::from)
                .ok_or_else(|| BankError::NotFound(format!("The device {subject}")))
        });
        self.bank
            .audited(actor, AuditAction::DeviceRevoke, subject, result)
    }

    /// The keys the branch server lets in. The server's own read, made for no person.
    pub fn active_devices(&mut self) -> BankResult<Vec<ActiveDevice>> {
        let rows = devices::active_keys(&mut self.bank.conn)?;
        Ok(rows
            .into_iter()
            .filter_map(|(fingerprint, name, public_key)| {
                Some(ActiveDevice {
                    name: DeviceName::parse_any(&name).ok()?,
                    fingerprint,
                    public_key,
                })
            })
            .collect())
    }
}
