//! Developers' tools, kept out of the portal's library: the synthetic demo data behind
//! `conduct-portal seed-demo` (the same module is compiled into the main binary, which cannot
//! depend on this crate without a cycle), the public pages' benchmark (`bench pages`, in
//! `pages`) and the benchmark binaries in `src/bin`.

pub mod demo;
pub mod pages;
