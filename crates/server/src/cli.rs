//! The command line: `serve`, `migrate`, `company create`, `user create`, `audit verify`,
//! `config print-default`. `--data-dir` and `--database-url` work on every subcommand.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use bosun_domain::company::CompanySlug;
use bosun_domain::person::Role;
use bosun_domain::{SystemClock, VesselId};
use bosun_store::Store;
use bosun_store_sql::{PgSettings, SqlStore, SqliteSettings, postgres};
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

use crate::config::{Config, is_postgres_url, print_default};
use bosun_app::accounts::users::NewPerson;
use bosun_app::fleet::vessels::JoinRotation;
use bosun_app::records::audit::Verdict;
use bosun_app::{Actor, RequestMeta};
use bosun_demo::{DEMO_LOGINS, DEMO_PASSWORD, seed_if_empty};

/// Bosun: maintenance management for fleets that keeps working when the link is gone.
#[derive(Debug, Parser)]
#[command(name = "bosun", version)]
pub struct Cli {
    /// Configuration file (default ./bosun.toml when it exists).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Folder for the SQLite file and uploads.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// postgres://… (logging in as the runtime role, bosun_app) to use PostgreSQL instead of the
    /// SQLite file.
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on.
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Seed the demo fleet when the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit; on PostgreSQL as the owner
    /// (database.migrate_url, else --database-url).
    Migrate,
    /// Companies.
    Company {
        #[command(subcommand)]
        command: CompanyCommand,
    },
    /// People.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Planned maintenance.
    Maintenance {
        #[command(subcommand)]
        command: MaintenanceCommand,
    },
    /// Configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Print the OpenAPI 3.1 document of the API (what /api/v1/openapi.json serves).
    Openapi,
}

#[derive(Debug, Subcommand)]
enum CompanyCommand {
    /// Register a company.
    Create {
        /// URL name (lowercase letters, digits, hyphens).
        #[arg(long)]
        slug: String,
        /// Name.
        #[arg(long)]
        name: String,
    },
    /// Set a company's plan, which sets its request rate limits.
    Plan {
        /// The company's slug.
        #[arg(long)]
        slug: String,
        /// basic, pro or enterprise.
        #[arg(long)]
        plan: String,
        /// An enterprise's agreed requests a minute per person or API key (default:
        /// limits.enterprise_per_minute).
        #[arg(long)]
        rate_limit_per_minute: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a person to a company. The password comes from BOSUN_PASSWORD or the first line
    /// of standard input, never from the command line.
    Create {
        /// Company slug.
        #[arg(long)]
        company: String,
        /// Login email.
        #[arg(long)]
        email: String,
        /// owner, admin, manager, engineer, crew or viewer.
        #[arg(long)]
        role: String,
        /// Display name (default: the part of the email before @).
        #[arg(long)]
        name: Option<String>,
        /// Put the person on this vessel's rotation, starting today.
        #[arg(long)]
        vessel: Option<uuid::Uuid>,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check every company's hash chain (or one's); exit 1 naming the first bad entry.
    Verify {
        /// Only this company.
        #[arg(long)]
        company: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum MaintenanceCommand {
    /// Run the maintenance scheduler once now, as the server does every ten minutes: generate
    /// the work orders of every plan falling due. Safe beside running servers.
    Schedule {
        /// Plans claimed and committed at a time.
        #[arg(long, default_value_t = bosun_app::plans::SCHEDULER_BATCH)]
        batch: u32,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print a commented bosun.toml with every default.
    PrintDefault,
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Config { command: ConfigCommand::PrintDefault } => {
            print!("{}", print_default());
            return ExitCode::SUCCESS;
        }
        Command::Openapi => {
            return match serde_json::to_string_pretty(&bosun_http::openapi()) {
                Ok(doc) => {
                    println!("{doc}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("bosun: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bosun: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bosun: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(d) = &cli.data_dir {
        config.server.data_dir = d.clone();
    }
    if let Some(u) = &cli.database_url {
        config.database.url = u.clone();
    }
    if let Command::Serve { listen: Some(l), .. } = &cli.command {
        config.server.listen = *l;
    }
    config.validate()?;
    Ok(config)
}

/// Opens the configured database: SQLite after running its pending migrations; PostgreSQL as
/// the runtime role (`database.url`), after the owner (`database.migrate_url`, when set) has run
/// the pending migrations, refusing a role row-level security would not bind or a schema that
/// is not current.
pub async fn open_store(config: &Config) -> anyhow::Result<SqlStore> {
    let url = config.database_url();
    let store = if let Some(path) = url.strip_prefix("sqlite://") {
        let mut s = SqliteSettings::new(path);
        s.max_connections = config.database.max_connections.clamp(1, 64);
        s.group_commit = config.database.sqlite_group_commit;
        bosun_store_sql::sqlite::open(&s).await
    } else {
        if let Some(owner) = &config.database.migrate_url {
            postgres::migrate(owner.expose_secret()).await.map_err(|e| anyhow!("cannot migrate the database: {e}"))?;
        }
        SqlStore::open(&url, &PgSettings { max_connections: config.database.max_connections }).await
    };
    store.map_err(|e| anyhow!("cannot open the database: {e}"))
}

/// `bosun migrate`: SQLite migrates as it opens; PostgreSQL migrates as the owner
/// (`database.migrate_url`, or `database.url` for an operator who gives the owner's URL there
/// for this one command) and opens nothing as the runtime role, whose URL it may not have.
async fn migrate(config: &Config) -> anyhow::Result<()> {
    let url = config.database_url();
    if is_postgres_url(&url) {
        let owner = config.database.migrate_url.as_ref().map_or(url.as_str(), |u| u.expose_secret());
        postgres::migrate(owner).await.map_err(|e| anyhow!("cannot migrate the database: {e}"))?;
    } else {
        open_store(config).await?.close().await;
    }
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = load_config(&cli)?;
    crate::observability::init(&config.log);
    if let Command::Migrate = cli.command {
        migrate(&config).await?;
        eprintln!("bosun: migrations are up to date");
        return Ok(ExitCode::SUCCESS);
    }
    let sql = open_store(&config).await?;
    // Several processes may serve one PostgreSQL database: their live events travel through
    // LISTEN/NOTIFY. SQLite has one process, whose hub is enough. The listener logs in with
    // the pool's URL, the runtime role's, never the owner's.
    let events = match (&cli.command, &sql) {
        (Command::Serve { .. }, SqlStore::Postgres(pool)) => crate::relay::start(pool.clone(), &config.database_url())
            .await
            .map_err(|e| anyhow!("cannot listen for live events: {e}"))?,
        _ => bosun_app::realtime::Hub::new(),
    };
    let store: Arc<dyn Store> = Arc::new(sql);
    let app = crate::wiring::build_with_events(config.clone(), store.clone(), Arc::new(SystemClock), events)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let cli_meta = RequestMeta { user_agent: Some("bosun command line".into()), ..Default::default() };
    match cli.command {
        Command::Serve { demo, .. } => {
            if demo && seed_if_empty(&app).await.map_err(|e| anyhow!("demo seed: {e}"))? {
                eprintln!("bosun: demo fleet seeded. Sign in with any of these (password {DEMO_PASSWORD}):");
                for (company, email) in DEMO_LOGINS {
                    eprintln!("  {company:<12} {email}");
                }
            }
            // Parts orders made before purchasing become requisitions (ADR 0007 §7), once.
            let moved = app.purchasing.migrate_all_parts_orders().await.map_err(|e| anyhow!("parts orders: {e}"))?;
            if moved.orders > 0 {
                tracing::info!(
                    orders = moved.orders,
                    suppliers = moved.suppliers,
                    purchase_orders = moved.purchase_orders,
                    "parts orders migrated to requisitions"
                );
            }
            serve(app).await?;
        }
        Command::Company { command: CompanyCommand::Create { slug, name } } => {
            let c = app.companies.create(&slug, &name, &cli_meta).await.map_err(|e| anyhow!("{e}"))?;
            println!("{}", c.id);
        }
        Command::Company { command: CompanyCommand::Plan { slug, plan, rate_limit_per_minute } } => {
            let c = app.companies.set_plan(&slug, &plan, rate_limit_per_minute, &cli_meta).await.map_err(describe)?;
            let rate = c.rate_limit_per_minute.map_or_else(|| "the plan's".to_owned(), |r| r.to_string());
            println!("{} is on the {} plan ({rate} requests a minute per person or API key)", c.slug, c.plan.as_str());
        }
        Command::User { command: UserCommand::Create { company, email, role, name, vessel } } => {
            let password = read_password()?;
            let slug = CompanySlug::parse("company", &company).map_err(|v| anyhow!("--company: {}", v.message))?;
            let company =
                app.companies.public_branding(slug.as_str()).await.map_err(|_| anyhow!("no company {slug}"))?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
            let input = NewPerson { email, name, password: Some(password), role, specialisation: None };
            let (member, existed) = app.users.add(company.id, None, &cli_meta, input).await.map_err(describe)?;
            if let Some(v) = vessel {
                let actor = Actor { meta: cli_meta.clone(), ..Actor::system(company.id, member.user.id, Role::Owner) };
                let today = app.now().date_naive();
                let input = JoinRotation {
                    vessel_id: VesselId(v),
                    user_id: None,
                    department_id: None,
                    rotation_start: today,
                    rotation_end: None,
                };
                app.mutate(&actor, input).await.map_err(describe)?;
            }
            if existed {
                eprintln!("bosun: {} already had a login; it now belongs to {} too", member.user.email, company.slug);
            }
            println!("{}", member.user.id);
        }
        Command::Audit { command: AuditCommand::Verify { company } } => {
            let companies = match company {
                Some(slug) => {
                    vec![app.companies.public_branding(&slug).await.map_err(|_| anyhow!("no company {slug}"))?]
                }
                None => {
                    let mut tx = store.begin_read(None).await?;
                    let mut all = Vec::new();
                    for id in tx.list_company_ids().await? {
                        all.extend(tx.company_by_id(id).await?);
                    }
                    all
                }
            };
            let mut broken = false;
            for c in companies {
                match app.audit.verify(c.id).await.map_err(|e| anyhow!("{e}"))? {
                    Verdict::Holds(n) => println!("{}: the chain holds ({n} entries)", c.slug),
                    Verdict::Broken(b) => {
                        println!("{}: BROKEN: {b}", c.slug);
                        broken = true;
                    }
                }
            }
            store.close().await;
            return Ok(if broken { ExitCode::FAILURE } else { ExitCode::SUCCESS });
        }
        Command::Maintenance { command: MaintenanceCommand::Schedule { batch } } => {
            let run = app.plans.schedule_all(&*store, batch).await.map_err(describe)?;
            println!("{} plans checked, {} work orders generated", run.checked, run.generated);
        }
        Command::Migrate | Command::Config { .. } | Command::Openapi => {}
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

fn describe(e: bosun_app::Error) -> anyhow::Error {
    match e {
        bosun_app::Error::Invalid(vs) => {
            anyhow!(vs.iter().map(|v| format!("{}: {}", v.field, v.message)).collect::<Vec<_>>().join("; "))
        }
        e => anyhow!("{e}"),
    }
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("BOSUN_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    let p = line.trim_end_matches(['\n', '\r']).to_owned();
    if p.is_empty() {
        bail!("give the password in BOSUN_PASSWORD or on standard input");
    }
    Ok(p)
}

/// Serves until SIGINT or SIGTERM, within the connection and request limits of `[server]`.
pub async fn serve(app: bosun_http::AppState) -> anyhow::Result<()> {
    let addr = app.config.server.listen;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(%addr, backend = ?app.store.backend(), "bosun is listening");
    eprintln!("bosun: listening on http://{}", listener.local_addr()?);
    bosun_http::serve::serve(listener, app, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
