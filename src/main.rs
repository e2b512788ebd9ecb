//! `rkv-server [CONFIG_FILE] [--directive value ...]`, like `redis-server`.

use tikv_jemallocator::Jemalloc;

#[global_allocator]
static GLOBAL: Jemalloc = Jemalloc;

fn main() {
    std::process::exit(rkv::cli::main(std::env::args_os().skip(1).collect()));
}
