//! Developers' tools, kept out of the portal's library: the synthetic demo data behind
//! `conduct-portal seed-demo` (the same module is compiled into the main binary, which cannot
//! depend on this crate without a cycle) and the benchmark binaries in `src/bin`.

pub mod demo;
