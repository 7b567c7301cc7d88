//! The web app is embedded from `web/dist` at compile time (rust-embed). A folder that did not
//! exist when this crate was last built is not tracked by the embedding, so a build made before
//! the web app's would keep serving nothing: the folder is tracked here instead.

fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
}
