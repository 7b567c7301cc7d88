//! Rebuilds the crate when a migration is added or changed: `sqlx::migrate!` embeds them at
//! build time and does not track the directory itself.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
