//! Seed data, not use cases: the reference data every database starts with (fa + en)
//! and the demo company. Seeds call the services; no service calls a seed.

pub mod demo;
pub mod reference;
