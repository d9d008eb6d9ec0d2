//! Developer tasks for the e-safety induction app, run as `cargo xtask <cmd>`
//! (alias in .cargo/config.toml). One entry point for humans and CI alike:
//! CI's .ci/run is just `cargo xtask test`.
//!
//! Modules: `tools` installs/checks what the commands need, `postgres` runs a
//! throwaway cluster, `test`, `serve` and `bench` are the commands, `util`
//! holds the shared plumbing.

mod bench;
mod bench_cohorts;
mod bench_http;
mod bench_load;
mod bench_pages;
mod bench_quiz;
mod bench_quiz_day;
mod bench_reminders;
mod bench_training;
mod postgres;
mod serve;
mod test;
mod test_reports;
mod tools;
mod util;

const USAGE: &str = "\
cargo xtask <command>

  serve [ARGS]      build the release site and run `esafety serve [ARGS]`
                    (SQLite in ./data, http://127.0.0.1:3000; ESAFETY_* settings pass through)
  test              fmt, clippy, tests on SQLite and on a throwaway PostgreSQL,
                    release build, Playwright + axe browser tests; ends with `N passed, N failed`
  bench [--seconds N] [--pages]
                    load-test /home and /login against a bare axum baseline (oha, loopback),
                    plus .wasm size and server memory
  bench quiz-day --learners N [--database postgres] [--compress F]
                    a whole intake signs in, reads a module and takes its quiz (goose)
  setup             install everything `test` needs, nothing else
  postgres          run a throwaway PostgreSQL until Ctrl-C and print its URL

Missing tools are installed on first use (cargo-leptos, wasm-bindgen-cli, npm packages,
Chromium, PostgreSQL, oha): the first run on a new machine takes about 25 minutes longer.
";

fn main() {
    util::install_interrupt_handler();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match command {
        "serve" => serve::run(rest),
        "test" => test::run(rest),
        "bench" => bench::run(rest),
        "setup" => setup(),
        "postgres" => postgres::run_interactive().map(|()| 0),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(0)
        }
        other => {
            eprint!("unknown command `{other}`\n\n{USAGE}");
            Ok(2)
        }
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

fn setup() -> util::Result<i32> {
    tools::ensure_all_or_fail(tools::TEST)?;
    util::say("All tools are in place");
    Ok(0)
}
