//! sea-orm entities, one per table. They never cross the IPC boundary: services map
//! them to DTOs.

mod fixed;
pub use fixed::Fixed4;

pub mod activities;
pub mod campaigns;
pub mod change_log;
pub mod comments;
pub mod custom_field_values;
pub mod custom_fields;
pub mod financial_lines;
pub mod financial_records;
pub mod identities;
pub mod identity_addresses;
pub mod identity_emails;
pub mod identity_phones;
pub mod notifications;
pub mod number_sequences;
pub mod opportunities;
pub mod opportunity_competitors;
pub mod opportunity_lines;
pub mod pipelines;
pub mod product_categories;
pub mod products;
pub mod record_tags;
pub mod settings;
pub mod stage_history;
pub mod stages;
pub mod system_items;
pub mod team_members;
pub mod team_oversight;
pub mod teams;
pub mod user_settings;
pub mod users;
