//! What an uploaded file is, decided by its bytes and never by its name or the browser's
//! Content-Type: the one path the rest of the code imports (`platform::evidence::upload`,
//! `web::upload`, the case evidence pages, the tests). The rules live beside it: the allow-list,
//! refusals and name sanitising in `kinds`, the active-content and polyglot scanner in
//! `scanner`, the metadata-free copy of images in `image` (HEIC in `heic`). Pure, no I/O.

pub use super::image::{clean_image, Cleaned};
pub use super::kinds::{check_name, sanitize_name, Kind, Refusal, SNIFF_LEN};
pub use super::scanner::Scanner;
