//! Forsat's core: everything but the window.
//!
//! Layers (see docs/ARCHITECTURE.md): `domain` (pure rules) ← `entity` (tables) ←
//! `service` (use cases) ← `report` (analytics) ← `seed` (reference and demo data),
//! with `db` (where data lives), `connections` (saved team servers, the keychain),
//! `backup` (copies of a SQLite file, restoring one) and `cli` (the command line)
//! beside them. This crate has no tauri dependency, so the compiler keeps it free of
//! the desktop shell; the `forsat` package wraps it in commands.

pub mod backup;
pub mod cli;
pub mod clock;
pub mod connections;
pub mod db;
pub mod domain;
pub mod entity;
pub mod error;
pub mod live;
pub mod report;
pub mod seed;
pub mod server;
pub mod service;
pub mod startup;
