//! `esafety`: the command line. Each subcommand has `--help`.

use app::admin::demo;
use clap::{Parser, Subcommand};
use server::config::{self, Config};
use server::StartError;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "esafety", version, about = "E-safety induction and acceptable-use module", after_help = config::VARIABLES)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (migrates the database first; in development, creates the
    /// demo organisation on an empty database and prints its accounts)
    #[command(after_help = config::VARIABLES)]
    Serve,
    /// Create or update the database tables, then exit
    #[command(after_help = config::VARIABLES)]
    Migrate,
    /// Create the demo organisation (slug `demo`) on an empty database, then exit
    #[command(after_help = config::VARIABLES)]
    Demo,
    /// Create an administrator, creating the organisation if it does not exist. The
    /// password is asked for, or read from the first line of standard input.
    #[command(after_help = config::VARIABLES)]
    CreateAdmin {
        /// The organisation's slug (letters a-z, digits, hyphens)
        #[arg(long)]
        org: String,
        /// The administrator's email address
        #[arg(long)]
        email: String,
        /// The administrator's full name
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Send every email in the outbox that is due, once, then exit
    #[command(after_help = config::VARIABLES)]
    SendMail,
    /// Remind everyone who has had a policy to sign for a week or more and has not signed,
    /// as the daily job does (at most once a week each), then exit. The reminders go out
    /// with the outbox (`send-mail`, or a running server).
    #[command(after_help = config::VARIABLES)]
    RemindPolicies {
        /// Only count who would be reminded; record and queue nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Send the staff training reminders due today, as the daily job does: an email to
    /// each member of staff with training due soon, due or overdue, and (on or after the
    /// digest day) the weekly digests to line managers and the People department. Each
    /// reminder goes once, however often this runs. The emails go out with the outbox
    /// (`send-mail`, or a running server).
    #[command(after_help = config::VARIABLES)]
    Remind {
        /// Print exactly what would be sent, to whom and why; record and queue nothing
        #[arg(long)]
        dry_run: bool,
        /// Run as if today were this day (YYYY-MM-DD, London); default: today
        #[arg(long, value_parser = parse_today)]
        today: Option<chrono::NaiveDate>,
    },
    /// Check every content file in DIR (default: ESAFETY_CONTENT_DIR or ./content); print
    /// each problem as file:line: message and each document's reading ease; exit 1 on any
    /// problem
    CheckContent {
        /// The content folder to check
        dir: Option<std::path::PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::CheckContent { dir } = command {
        return check_content(dir);
    }
    match runtime.block_on(run(command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run(command: Command) -> Result<(), StartError> {
    let config = config::from_env()?;
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            server::open_database(&config).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::Demo => {
            let db = server::open_database(&config).await?;
            seed_demo(&config, &db).await
        }
        Command::CreateAdmin { org, email, name } => {
            let db = server::open_database(&config).await?;
            let password = read_password()?;
            let created = demo::create_admin(&db, &org, &email, &name, &password).await?;
            if created {
                println!("Created the organisation '{org}'.");
            }
            println!(
                "{email} is an administrator of '{org}' and can sign in at {}/login",
                config.base_url
            );
            Ok(())
        }
        Command::CheckContent { .. } => Ok(()),
        Command::RemindPolicies { dry_run } => remind_policies(&config, dry_run).await,
        Command::Remind { dry_run, today } => remind_staff(&config, dry_run, today).await,
        Command::SendMail => {
            let db = server::open_database(&config).await?;
            let mailer = server::mailer(&config)?;
            let report = app::mail::outbox::send_due(
                &db,
                &mailer,
                &config.mail_from,
                &config.secret_key,
                config.mail_retention,
            )
            .await
            .map_err(StartError::Database)?;
            println!(
                "Sent {}, will retry {}, gave up on {}.",
                report.sent, report.retried, report.failed
            );
            Ok(())
        }
    }
}

async fn remind_policies(config: &Config, dry_run: bool) -> Result<(), StartError> {
    let content = server::load_content(config)?;
    let db = server::open_database(config).await?;
    let state = server::app_state(config, db, content)?;
    let done =
        app::policies::reminders::remind_everyone(&state, chrono::Utc::now(), dry_run).await?;
    if dry_run {
        println!("{} person(s) waiting a week or more to sign (not all may be reminded again this week); nothing sent.", done.sent);
    } else {
        println!(
            "Queued {} reminder(s); {} already reminded this week.",
            done.sent, done.already
        );
    }
    Ok(())
}

/// `--today`: a calendar day, with a message that says what was wrong.
fn parse_today(text: &str) -> Result<chrono::NaiveDate, String> {
    app::calendar::parse_day(text)
        .ok_or_else(|| format!("'{text}' is not a day written as YYYY-MM-DD, like 2026-12-02"))
}

async fn remind_staff(
    config: &Config,
    dry_run: bool,
    today: Option<chrono::NaiveDate>,
) -> Result<(), StartError> {
    let content = server::load_content(config)?;
    let db = server::open_database(config).await?;
    let state = server::app_state(config, db, content)?;
    let today = today.unwrap_or_else(app::calendar::today);
    let reports = app::reminders::run::run_all(&state, today, dry_run)
        .await
        .map_err(app::error::AppError::from)?;
    let day = today.format("%A %-d %B %Y");
    for report in &reports {
        let name = &report.org_name;
        if report.paused {
            println!(
                "{name}: reminders are paused; nothing {}.",
                if dry_run { "would be sent" } else { "sent" }
            );
            continue;
        }
        let n = report.queued;
        match dry_run {
            true => println!(
                "{name}, {day}: {n} email(s) would be sent (dry run: nothing recorded or queued)."
            ),
            false => println!("{name}, {day}: queued {n} email(s)."),
        }
        for email in &report.emails {
            println!(
                "  to {} <{}>: {}: {}",
                email.to_name,
                email.to_email,
                email.kind.label(),
                email.summary
            );
        }
        if report.already > 0 {
            println!(
                "  {} already reminded at this stage, so not again.",
                report.already
            );
        }
    }
    if !dry_run {
        println!("The emails go out with the outbox: a running server, or `esafety send-mail`.");
    }
    Ok(())
}

/// Plain English scores 60 or more on the Flesch reading-ease scale.
const READABLE: f64 = 60.0;

fn check_content(dir: Option<std::path::PathBuf>) -> ExitCode {
    let dir = dir
        .or_else(|| std::env::var_os("ESAFETY_CONTENT_DIR").map(Into::into))
        .unwrap_or_else(|| "content".into());
    let (readable, problems) = app::content::check_folder(&dir);
    for (file, score) in &readable {
        let verdict = if *score >= READABLE {
            "plain English"
        } else {
            "harder than plain English (aim for 60+)"
        };
        println!("{}: reading ease {score:.0}, {verdict}", file.display());
    }
    for problem in &problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        println!("{} content file(s) checked: no problems.", readable.len());
        ExitCode::SUCCESS
    } else {
        println!("{} problem(s) found.", problems.len());
        ExitCode::from(1)
    }
}

fn read_password() -> Result<String, StartError> {
    let invalid = |m: &str| StartError::App(app::error::AppError::invalid(m));
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password for the administrator: ")
            .map_err(|e| invalid(&format!("cannot read the password: {e}")))?;
        let again = rpassword::prompt_password("Type it again: ")
            .map_err(|e| invalid(&format!("cannot read the password: {e}")))?;
        if first != again {
            return Err(invalid("The two passwords do not match."));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            invalid(&format!(
                "cannot read the password from standard input: {e}"
            ))
        })?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// The demo password: the configured one, or one made up and kept in the data folder so
/// it can be printed again at the next start.
fn demo_password(config: &Config) -> Result<String, StartError> {
    if let Some(p) = &config.demo_password {
        return Ok(p.clone());
    }
    let path = config.data_dir.join("demo-password.txt");
    if let Ok(saved) = std::fs::read_to_string(&path) {
        return Ok(saved.trim().to_string());
    }
    use rand::Rng;
    const WORDS: [&str; 16] = [
        "maple", "river", "copper", "lantern", "orbit", "meadow", "harbour", "pebble", "violet",
        "summit", "falcon", "willow", "ember", "canyon", "puzzle", "thistle",
    ];
    let mut rng = rand::thread_rng();
    let made: Vec<String> = (0..3)
        .map(|_| WORDS[rng.gen_range(0..WORDS.len())].to_string())
        .collect();
    let password = format!("{}-{}", made.join("-"), rng.gen_range(10..100));
    std::fs::write(&path, &password)
        .map_err(|e| StartError::DataDir(format!("cannot write {}: {e}", path.display())))?;
    Ok(password)
}

async fn seed_demo(config: &Config, db: &app::db::Db) -> Result<(), StartError> {
    if config.production {
        return Err(StartError::App(app::error::AppError::invalid(
            "ESAFETY_ENV: the demo organisation is never created in production",
        )));
    }
    let password = demo_password(config)?;
    let created = demo::seed_demo_if_empty(db, &password).await?;
    let has_demo = app::admin::queries::organisation_by_slug(db, demo::DEMO_SLUG)
        .await
        .map_err(StartError::Database)?
        .is_some();
    if created || has_demo {
        println!(
            "Demo organisation '{}': each account's password is {password}",
            demo::DEMO_SLUG
        );
        for (email, _, role) in demo::demo_accounts() {
            println!("  {email:<20} {}", role.label());
        }
    } else {
        println!("The database already has organisations, so no demo organisation was created.");
    }
    Ok(())
}

async fn serve(config: Config) -> Result<(), StartError> {
    let content = server::load_content(&config)?;
    let db = server::open_database(&config).await?;
    if !config.production {
        seed_demo(&config, &db).await?;
    }
    let mailer = server::mailer(&config)?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Listen {
            addr: config.addr.to_string(),
            source,
        })?;
    match &config.smtp_url {
        Some(_) => println!("Email is sent through ESAFETY_SMTP_URL."),
        None => println!(
            "Email is written to {} (ESAFETY_SMTP_URL is not set).",
            config.data_dir.join("mail").display()
        ),
    }
    println!(
        "E-safety is running at {}  (press Ctrl-C to stop)",
        config.base_url
    );
    let state = server::app_state(&config, db, content)?;
    server::jobs::spawn(
        state.clone(),
        mailer,
        config.mail_from.clone(),
        config.mail_retention,
    );
    let limits = server::connections::Limits::new(config.max_connections);
    server::serve(listener, state, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|source| StartError::Listen {
        addr: config.addr.to_string(),
        source,
    })
}
