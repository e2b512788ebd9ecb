//! `rkv-server [CONFIG_FILE] [--directive value ...]`, like `redis-server`.

#[global_allocator]
static GLOBAL: rkv::alloc::Counting = rkv::alloc::Counting;

fn main() {
    std::process::exit(rkv::cli::main(std::env::args_os().skip(1).collect()));
}
