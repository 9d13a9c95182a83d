//! `kubectl-promop`: the command-line front end. All logic lives in the `promop` library; the
//! binary reads files, prints results and turns errors into exit codes (see [`cli`]).

mod cli;

/// The binary builds and drops trees of many small nodes (objects, configurations); glibc's
/// allocator spent a third of `render`'s time on them, mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
