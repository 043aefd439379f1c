//! What an evidence file may be: typing by content against the allow-list, markup and polyglot
//! checks, and metadata-free copies of images (HEIC items blanked in `heic`). Pure. Other code
//! imports through `content`, which re-exports the parts.

pub mod content;
pub mod heic;
pub mod image;
pub mod kinds;
pub mod scanner;
