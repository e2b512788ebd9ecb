//! FUNCTION LIST: the libraries, their functions and, on request, their code.

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::scripting::{Library, ScriptFlags};
use crate::state::Ctx;

/// FUNCTION LIST.
pub const SPEC: CommandSpec = CommandSpec {
    name: "list",
    arity: -2,
    summary: "List information about all the functions",
    complexity: "O(N) where N is the number of functions",
    tips: &["nondeterministic_output_order"],
    args: &[
        Arg { name: "library-name-pattern", token: Some("LIBRARYNAME"), optional: true, ..Arg::DEFAULT },
        Arg { name: "withcode", kind: ArgKind::PureToken, token: Some("WITHCODE"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (mut with_code, mut pattern) = (false, None);
    let mut i = 2;
    while i < argv.len() {
        let arg = argv[i];
        if !with_code && arg.eq_ignore_ascii_case(b"withcode") {
            with_code = true;
        } else if pattern.is_none() && arg.eq_ignore_ascii_case(b"libraryname") {
            let Some(p) = argv.get(i + 1) else {
                return ctx.out.error("ERR library name argument was not given");
            };
            pattern = Some(*p);
            i += 1;
        } else {
            let text = [b"ERR Unknown argument ", crate::commands::errors::c_str(arg)].concat();
            return ctx.out.error_bytes(&text);
        }
        i += 1;
    }
    let libraries: Vec<&Library> = ctx
        .server
        .scripting
        .loaded_functions()
        .map(|f| f.libraries().iter().filter(|l| pattern.is_none_or(|p| matches(p, l.name.as_bytes()))).collect())
        .unwrap_or_default();
    let out = &mut *ctx.out;
    out.array(libraries.len());
    for library in libraries {
        out.map(if with_code { 4 } else { 3 });
        out.bulk(b"library_name");
        out.bulk(library.name.as_bytes());
        out.bulk(b"engine");
        out.bulk(b"LUA");
        out.bulk(b"functions");
        out.array(library.functions.len());
        for f in &library.functions {
            out.map(3);
            out.bulk(b"name");
            out.bulk(f.name.as_bytes());
            out.bulk(b"description");
            match &f.description {
                Some(d) => out.bulk(d),
                None => out.null(),
            }
            out.bulk(b"flags");
            let names: Vec<&str> =
                ScriptFlags::NAMES.iter().filter(|(flag, _)| f.flags.contains(*flag)).map(|(_, n)| *n).collect();
            out.set(names.len());
            for name in names {
                out.simple(name);
            }
        }
        if with_code {
            out.bulk(b"library_code");
            out.bulk(&library.code);
        }
    }
}

/// Redis's case-insensitive glob match of a library name.
fn matches(pattern: &[u8], name: &[u8]) -> bool {
    crate::types::glob::matches_nocase(pattern, name)
}
