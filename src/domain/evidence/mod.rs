//! What an evidence file may be: typing by content against the allow-list, markup and polyglot
//! checks, and metadata-free copies of images (HEIC items blanked in `heic`). Pure.

pub mod content;
pub mod heic;
