//! Placeholder module; see DESIGN.md for what it will own.
