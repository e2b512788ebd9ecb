//! PFSELFTEST: An internal command for testing HyperLogLog values.

use crate::commands::{Acl, CommandSpec, DocFlags, Flags, Group};
use crate::state::Ctx;
use crate::types::hll::{self, Encoding, HEADER, REGISTERS};

/// PFSELFTEST.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pfselftest",
    arity: 1,
    flags: Flags::ADMIN,
    acl: Acl::HYPERLOGLOG,
    group: Group::Hyperloglog,
    since: "2.8.9",
    summary: "An internal command for testing HyperLogLog values",
    complexity: "N/A",
    doc_flags: DocFlags { deprecated: false, syscmd: true },
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let sparse_max = ctx.server.config.hll_sparse_max_bytes;
    match self_test(&mut fastrand::Rng::new(), sparse_max) {
        Ok(()) => ctx.out.ok(),
        Err(e) => ctx.out.error(&e),
    }
}

/// Redis's two checks: dense registers read back what was written without disturbing their
/// neighbours; and over 10 million distinct elements, sparse and dense HLLs agree and stay within
/// six standard errors at every power of ten.
fn self_test(rng: &mut fastrand::Rng, sparse_max: usize) -> Result<(), String> {
    let mut dense = hll::new_sparse();
    hll::to_dense(&mut dense).map_err(|_| "TESTFAILED cannot build a dense HLL".to_owned())?;
    let mut expected = [0u8; REGISTERS];
    for _ in 0..1000 {
        for (i, e) in expected.iter_mut().enumerate() {
            *e = rng.u8(..64);
            hll::dense_put(&mut dense[HEADER..], i, *e);
        }
        for (i, &e) in expected.iter().enumerate() {
            let got = hll::dense_get(&dense[HEADER..], i);
            if got != e {
                return Err(format!("TESTFAILED Register {i} should be {e} but is {got}"));
            }
        }
    }
    dense[HEADER..].fill(0);
    let mut sparse = hll::new_sparse();
    let relative_error = 1.04 / (REGISTERS as f64).sqrt();
    let seed = rng.u64(..);
    let mut checkpoint: u64 = 1;
    for j in 1..=10_000_000u64 {
        let element = (j ^ seed).to_le_bytes();
        let _ = hll::add(&mut dense, &element, sparse_max);
        let _ = hll::add(&mut sparse, &element, sparse_max);
        if j != checkpoint {
            continue;
        }
        if j < sparse_max as u64 / 2 && hll::encoding(&sparse) != Some(Encoding::Sparse) {
            return Err("TESTFAILED sparse encoding not used".to_owned());
        }
        let card = hll::count(&dense).unwrap_or(0);
        if hll::count(&sparse).unwrap_or(0) != card {
            return Err("TESTFAILED dense/sparse disagree".to_owned());
        }
        let max_error = if j == 10 { 1 } else { (relative_error * 6.0 * checkpoint as f64).ceil() as u64 };
        let error = checkpoint.abs_diff(card);
        if error > max_error {
            return Err(format!("TESTFAILED Too big error. card:{checkpoint} abserr:{error}"));
        }
        checkpoint *= 10;
    }
    Ok(())
}
