//! `bosun`: see `bosun --help`.

#![cfg_attr(test, allow(clippy::disallowed_methods))]

// mimalloc rather than the system allocator: a request allocates a few hundred small blocks
// (rows, views, JSON) across the runtime's threads, where glibc's arenas cost a read about a
// fifth of its throughput on the bench (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    bosun_server::cli::main()
}
