//! Rebuilds the binary when a template or a static file changes: both are compiled in
//! (`web::assets`), and the embedding macro cannot tell Cargo which files it read.

fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
}
