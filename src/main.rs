//! `kubectl-promop`: the command-line front end. All logic lives in the `promop` library; the
//! binary reads files, prints results and turns errors into exit codes (see [`cli`]).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
