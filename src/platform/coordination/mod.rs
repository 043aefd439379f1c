//! What several portal nodes must agree on (issue 16, item 3): per-key counters
//! ([`counters`]: the throttles, rate limits and the anonymous upload budget) kept in
//! PostgreSQL when the database is PostgreSQL and in memory on SQLite, and background jobs
//! ([`jobs`]) that one node at a time claims through a lease row.
//!
//! Invariants: a counter change is one atomic read-modify-write of its key on every backend;
//! a job run needs a claimed lease, and a lease expires, so a dead node blocks nothing for
//! longer than its lease.

pub mod counters;
pub mod jobs;
