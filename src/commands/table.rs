//! The command table built from the registered specs at startup.
//!
//! Lookup is by lowercase name (after `rename-command`); subcommands are looked up in their
//! container's entry. Every entry has a dense id used to index per-command statistics. Lookups run
//! once per command, so the maps use the Fx hash: clients can look names up but never insert them.

use super::spec::CommandSpec;
use crate::types::hash::FxHashMap;

/// Dense index of a command or subcommand in the table.
pub type CommandId = usize;

/// One command or subcommand.
#[derive(Debug)]
pub struct Entry {
    /// Its spec.
    pub spec: &'static CommandSpec,
    /// `name` or `container|name`.
    pub fullname: &'static str,
    /// The container of a subcommand.
    pub parent: Option<CommandId>,
    /// Subcommands by lowercase name.
    pub subcommands: FxHashMap<Vec<u8>, CommandId>,
}

/// What a lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// A runnable command or subcommand.
    Found(CommandId),
    /// No such command.
    Unknown,
    /// A container whose subcommand does not exist.
    UnknownSubcommand(CommandId),
}

/// All commands known to the server.
#[derive(Debug, Default)]
pub struct CommandTable {
    entries: Vec<Entry>,
    /// Top-level commands by (possibly renamed) lowercase name.
    by_name: FxHashMap<Vec<u8>, CommandId>,
}

/// Why the table could not be built from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameError {
    /// `rename-command` named an unknown command.
    NoSuchCommand(String),
    /// The new name is already taken.
    NameTaken(String),
}

impl CommandTable {
    /// Builds the table from top-level specs, applying `(old, new)` renames (an empty new name
    /// removes the command).
    pub fn build(specs: &[&'static CommandSpec], renames: &[(String, String)]) -> Result<Self, RenameError> {
        let mut table = CommandTable::default();
        for spec in specs {
            let id = table.push(spec, None);
            table.by_name.insert(spec.name.as_bytes().to_vec(), id);
            for sub in spec.subcommands {
                let sub_id = table.push(sub, Some(id));
                table.entries[id].subcommands.insert(sub.name.as_bytes().to_vec(), sub_id);
            }
        }
        for (old, new) in renames {
            let id = table
                .by_name
                .remove(old.to_ascii_lowercase().as_bytes())
                .ok_or_else(|| RenameError::NoSuchCommand(old.clone()))?;
            if !new.is_empty() {
                let key = new.to_ascii_lowercase().into_bytes();
                if table.by_name.contains_key(&key) {
                    return Err(RenameError::NameTaken(new.clone()));
                }
                table.by_name.insert(key, id);
            }
        }
        Ok(table)
    }

    fn push(&mut self, spec: &'static CommandSpec, parent: Option<CommandId>) -> CommandId {
        let fullname: &'static str = match parent {
            // Built once at startup; leaking gives the `&'static str` that stats and CLIENT LIST
            // keep without reallocating per command.
            Some(p) => Box::leak(format!("{}|{}", self.entries[p].spec.name, spec.name).into_boxed_str()),
            None => spec.name,
        };
        self.entries.push(Entry { spec, fullname, parent, subcommands: FxHashMap::default() });
        self.entries.len() - 1
    }

    /// Looks up a command by its argv (the subcommand is `argv[1]` for containers).
    pub fn lookup(&self, argv: &[&[u8]]) -> Lookup {
        let Some(name) = argv.first() else { return Lookup::Unknown };
        let Some(id) = self.find(name, &self.by_name) else { return Lookup::Unknown };
        let entry = &self.entries[id];
        if entry.subcommands.is_empty() || argv.len() < 2 {
            return Lookup::Found(id);
        }
        match self.find(argv[1], &entry.subcommands) {
            Some(sub) => Lookup::Found(sub),
            None => Lookup::UnknownSubcommand(id),
        }
    }

    /// Looks up a top-level command by name, case-insensitively.
    pub fn find_command(&self, name: &[u8]) -> Option<CommandId> {
        self.find(name, &self.by_name)
    }

    fn find(&self, name: &[u8], map: &FxHashMap<Vec<u8>, CommandId>) -> Option<CommandId> {
        // Command names are short; lowercase on the stack to avoid an allocation per command.
        let mut buf = [0u8; 32];
        if name.len() <= buf.len() {
            let lower = &mut buf[..name.len()];
            lower.copy_from_slice(name);
            lower.make_ascii_lowercase();
            map.get(&lower[..]).copied()
        } else {
            map.get(&name.to_ascii_lowercase()).copied()
        }
    }

    /// The entry with this id.
    pub fn entry(&self, id: CommandId) -> &Entry {
        &self.entries[id]
    }

    /// Every entry, subcommands included, in registration order.
    pub fn entries(&self) -> impl Iterator<Item = (CommandId, &Entry)> {
        self.entries.iter().enumerate()
    }

    /// Top-level commands reachable by name (renamed-away commands excluded).
    pub fn top_level(&self) -> impl Iterator<Item = (&[u8], CommandId)> {
        self.by_name.iter().map(|(name, &id)| (name.as_slice(), id))
    }

    /// Number of entries, subcommands included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
