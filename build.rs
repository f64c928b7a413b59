//! Build script: only tells Cargo to rebuild when a migration is added or changed.
//!
//! `sqlx::migrate!` embeds `migrations/` at compile time, but Cargo does not know the macro reads that
//! directory: a new migration file would otherwise leave a binary without it until some source file changed
//! (sqlx's documentation recommends exactly this line).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
