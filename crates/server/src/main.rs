//! `bosun`: see `bosun --help`.

fn main() -> std::process::ExitCode {
    bosun_server::cli::main()
}
