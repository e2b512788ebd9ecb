//! Commands: the spec types, the table, and one file per command under a folder per Redis
//! command group. Registering a command is one line in its group's `mod.rs`.

pub mod blocking;
pub mod errors;
pub mod keys;
pub mod random_count;
pub mod spec;
pub mod table;

pub mod connection;
pub mod generic;
pub mod hash;
pub mod list;
pub mod pubsub;
pub mod scripting;
pub mod server;
pub mod set;
pub mod string;
pub mod transactions;
pub mod zset;

pub use keys::KeyRef;
pub use spec::{
    Acl, Arg, ArgKind, BeginSearch, CommandSpec, DocFlags, FindKeys, Flags, GetKeys, Group, KeyFlags, KeySpec,
};
pub use table::{CommandId, CommandTable, Entry, Lookup, RenameError};

/// Every registered top-level command.
pub fn all() -> Vec<&'static CommandSpec> {
    [
        connection::COMMANDS,
        generic::COMMANDS,
        hash::COMMANDS,
        list::COMMANDS,
        pubsub::COMMANDS,
        scripting::COMMANDS,
        server::COMMANDS,
        set::COMMANDS,
        string::COMMANDS,
        transactions::COMMANDS,
        zset::COMMANDS,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// A command file that is not registered in its folder's `mod.rs` fails this test. A
    /// container's folder (`connection/client/`) is checked the same way: its `mod.rs` defines
    /// the container and is registered in the group, and it registers its subcommand files.
    #[test]
    fn every_command_file_is_registered() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
        for group in std::fs::read_dir(&root).unwrap() {
            let group = group.unwrap().path();
            if group.is_dir() {
                check_registered(&group);
            }
        }
    }

    fn check_registered(folder: &Path) {
        let registry = std::fs::read_to_string(folder.join("mod.rs")).unwrap();
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let source_file = if path.is_dir() { path.join("mod.rs") } else { path.clone() };
            if stem == "mod" {
                continue;
            }
            if path.is_dir() {
                check_registered(&path);
            }
            let source = std::fs::read_to_string(&source_file).unwrap();
            if !source.contains("pub const SPEC: CommandSpec") {
                continue;
            }
            assert!(
                registry.contains(&format!("&{stem}::SPEC")),
                "{} defines a command but {}/mod.rs does not register it",
                source_file.display(),
                folder.display()
            );
        }
    }

    /// Names are unique, lowercase, and arities sane.
    #[test]
    fn specs_are_consistent() {
        let all = super::all();
        let table = super::CommandTable::build(&all, &[]).unwrap();
        let mut names = std::collections::HashSet::new();
        for (_, entry) in table.entries() {
            let spec = entry.spec;
            assert!(names.insert(entry.fullname), "duplicate command {}", entry.fullname);
            assert_eq!(spec.name, spec.name.to_ascii_lowercase());
            assert_ne!(spec.arity, 0, "{}", entry.fullname);
            assert!(
                !(spec.flags.contains(super::Flags::WRITE) && spec.flags.contains(super::Flags::READONLY)),
                "{} is both write and readonly",
                entry.fullname
            );
            assert!(!spec.summary.is_empty(), "{} has no summary", entry.fullname);
        }
    }

    /// Fewest arguments a documented argument list needs (a token counts as one argument).
    fn min_args(args: &[super::Arg]) -> usize {
        args.iter().filter(|a| !a.optional).map(|a| usize::from(a.token.is_some()) + min_value_args(a.kind)).sum()
    }

    fn min_value_args(kind: super::ArgKind) -> usize {
        match kind {
            super::ArgKind::PureToken => 0,
            super::ArgKind::Block(nested) => min_args(nested),
            super::ArgKind::OneOf(choices) => {
                choices.iter().map(|c| usize::from(c.token.is_some()) + min_value_args(c.kind)).min().unwrap_or(0)
            }
            _ => 1,
        }
    }

    /// Every key argument's key spec, in a documented argument tree.
    fn key_indexes(args: &[super::Arg], out: &mut Vec<usize>) {
        for arg in args {
            match arg.kind {
                super::ArgKind::Key(i) | super::ArgKind::KeyPattern(i) => out.push(i),
                super::ArgKind::Block(nested) | super::ArgKind::OneOf(nested) => key_indexes(nested, out),
                _ => {}
            }
        }
    }

    /// Documented arguments agree with the arity, and key arguments point at existing key specs.
    #[test]
    fn arguments_agree_with_arity_and_key_specs() {
        let all = super::all();
        let table = super::CommandTable::build(&all, &[]).unwrap();
        for (_, entry) in table.entries() {
            let spec = entry.spec;
            if !spec.args.is_empty() && !spec.is_container() {
                let name_words = if entry.parent.is_some() { 2 } else { 1 };
                let min = name_words + min_args(spec.args);
                assert_eq!(min as i32, spec.arity.abs(), "{}: arguments imply at least {min}", entry.fullname);
            }
            let mut keys = Vec::new();
            key_indexes(spec.args, &mut keys);
            for i in keys {
                assert!(i < spec.keys.len(), "{} documents key spec {i} which does not exist", entry.fullname);
            }
        }
    }
}
