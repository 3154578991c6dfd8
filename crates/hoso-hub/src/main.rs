//! `hoso-hub`: run the reference hub, enrol workstations, show the receipt key.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "hoso-hub", about = "HoSo Intake reference hub (sync receiver)")]
struct Cli {
    /// The hub's folder (database, blobs, receipt key).
    #[arg(long, env = "HOSO_HUB_DIR")]
    data: PathBuf,
    /// Scale-out mode: PostgreSQL connection string for the metadata, shared by
    /// every replica (blobs stay in --data, a shared volume).
    #[arg(long, env = "HOSO_HUB_POSTGRES")]
    postgres: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve on an address; prints `listening on ADDR` once ready.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: String,
    },
    /// Enrol a workstation's public key.
    Enrol {
        #[arg(long)]
        device: String,
        #[arg(long)]
        public_key: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Print the public key receipts are signed with (for workstations' config).
    Key,
    /// Print an accepted record mapped to the portal's DongBoHoSoMC fields.
    Dongbohoso {
        #[arg(long)]
        record: String,
    },
}

fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let hub = Arc::new(match &cli.postgres {
        Some(url) => hoso_hub::Hub::open_postgres(&cli.data, url)?,
        None => hoso_hub::Hub::open(&cli.data)?,
    });
    match cli.command {
        Command::Enrol { device, public_key, note } => hub.enrol(&device, &public_key, &note)?,
        Command::Key => println!("{}", hub.public_key()),
        Command::Dongbohoso { record } => match hub.dongbohoso(&record)? {
            Some(v) => println!("{}", serde_json::to_string_pretty(&v)?),
            None => anyhow::bail!("record {record} is not at this hub"),
        },
        Command::Serve { listen } => {
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind(&listen).await?;
                println!("listening on {}", listener.local_addr()?);
                use std::io::Write;
                std::io::stdout().flush()?;
                axum::serve(listener, hoso_hub::router(hub)).await?;
                anyhow::Ok(())
            })?;
        }
    }
    Ok(())
}
