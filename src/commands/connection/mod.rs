//! Connection commands: handshake, authentication, database selection, liveness.

pub mod auth;
pub mod client;
pub mod echo;
pub mod hello;
pub mod ping;
pub mod quit;
pub mod reset;
pub mod select;

use super::CommandSpec;

/// The group's commands; registering a command is one line here.
pub const COMMANDS: &[&CommandSpec] =
    &[&auth::SPEC, &client::SPEC, &echo::SPEC, &hello::SPEC, &ping::SPEC, &quit::SPEC, &reset::SPEC, &select::SPEC];
