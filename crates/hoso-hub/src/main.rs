//! `hoso-hub`: run the reference hub, enrol workstations, show the receipt key.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "hoso-hub", about = "HoSo Intake reference hub (sync receiver)")]
struct Cli {
    /// The hub's folder (database, blobs, receipt key).
    #[arg(long, env = "HOSO_HUB_DIR")]
    data: PathBuf,
    /// Scale-out mode: PostgreSQL connection string for the metadata, shared by
    /// every replica (blobs stay in --data, a shared volume, or in --s3). A
    /// server on another machine is reached over TLS only (sslmode=require).
    #[arg(long, env = "HOSO_HUB_POSTGRES")]
    postgres: Option<String>,
    /// The CA certificate(s) (PEM) that signed the PostgreSQL server's
    /// certificate, trusted besides the system's roots.
    #[arg(long, env = "HOSO_HUB_POSTGRES_CA", requires = "postgres")]
    postgres_ca: Option<PathBuf>,
    /// Connections to PostgreSQL this replica keeps at most (a broken one is
    /// replaced; mind the server's max_connections across replicas).
    #[arg(long, default_value_t = 16, requires = "postgres")]
    postgres_connections: u32,
    /// Keep blobs in an S3-compatible bucket, path style:
    /// `https://s3.example:9000/hoso-blobs`. Credentials from
    /// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
    #[arg(long, env = "HOSO_HUB_S3")]
    s3: Option<String>,
    #[arg(long, env = "HOSO_HUB_S3_REGION", default_value = "us-east-1")]
    s3_region: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve on an address; prints `listening on ADDR` once ready.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: String,
        /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM, PKCS#8 or PKCS#1).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Largest blob taken, in MiB (a bigger Upload-Length gets 413).
        #[arg(long, default_value_t = 1024)]
        max_blob_mib: u64,
        /// Seconds one request may take, its body included (then 408).
        #[arg(long, default_value_t = 120)]
        request_timeout_secs: u64,
        /// Requests served at once; the rest wait their turn.
        #[arg(long, default_value_t = 512)]
        max_requests: usize,
        /// Hours after which a partial upload nobody touched is dropped.
        #[arg(long, default_value_t = 48)]
        partial_ttl_hours: u64,
        /// The name counters reach this hub by (e.g. hub.tphcm.gov.vn): a
        /// request signed for another host is refused.
        #[arg(long)]
        name: Option<String>,
    },
    /// Enrol a workstation's public key (an enrolled device keeps its key:
    /// `rotate` changes it).
    Enrol {
        #[arg(long)]
        device: String,
        #[arg(long)]
        public_key: String,
        /// The receiving unit it sends for (else the unit of its first record).
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Give an enrolled workstation a new key; the old one counts for the overlap.
    Rotate {
        #[arg(long)]
        device: String,
        #[arg(long)]
        public_key: String,
        #[arg(long, default_value_t = 24)]
        overlap_hours: u64,
    },
    /// Revoke a workstation (a stolen or retired PC): none of its requests is taken.
    Revoke {
        #[arg(long)]
        device: String,
        #[arg(long, default_value = "")]
        why: String,
    },
    /// Print the hub's audit: enrolments, rotations, revocations, refusals.
    Audit,
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
    let rt = tokio::runtime::Runtime::new()?;
    let mut hub = match &cli.postgres {
        Some(url) => {
            let ca_pem = match &cli.postgres_ca {
                Some(file) => Some(std::fs::read(file).with_context(|| format!("{}", file.display()))?),
                None => None,
            };
            let pg = hoso_hub::PgConfig { url: url.clone(), ca_pem, connections: cli.postgres_connections };
            hoso_hub::Hub::open_postgres(&cli.data, &pg)?
        }
        None => hoso_hub::Hub::open(&cli.data)?,
    };
    if let Some(url) = &cli.s3 {
        let s3 = hoso_hub::s3::S3::from_env(url, &cli.s3_region)?;
        rt.block_on(hub.use_s3(s3))?;
    }
    if let Command::Serve {
        max_blob_mib, request_timeout_secs, max_requests, partial_ttl_hours, name, ..
    } = &cli.command
    {
        hub.set_name(name.clone());
        hub.set_limits(hoso_hub::Limits {
            blob: max_blob_mib << 20,
            request_timeout: Duration::from_secs(*request_timeout_secs),
            concurrent_requests: (*max_requests).max(1),
            partial_ttl: Duration::from_secs(partial_ttl_hours * 3600),
            ..hoso_hub::Limits::default()
        });
    }
    let hub = Arc::new(hub);
    match cli.command {
        Command::Enrol { device, public_key, unit, note } => {
            hub.enrol_for(&device, &public_key, unit.as_deref(), &note)?
        }
        Command::Rotate { device, public_key, overlap_hours } => {
            hub.rotate(&device, &public_key, Duration::from_secs(overlap_hours * 3600))?
        }
        Command::Revoke { device, why } => hub.revoke(&device, &why)?,
        Command::Audit => {
            for e in hub.events()? {
                println!("{}\t{}\t{}\t{}\t{}", e.seq, e.at, e.action, e.device, e.detail);
            }
        }
        Command::Key => println!("{}", hub.public_key()),
        Command::Dongbohoso { record } => match hub.dongbohoso(&record)? {
            Some(v) => println!("{}", serde_json::to_string_pretty(&v)?),
            None => anyhow::bail!("record {record} is not at this hub"),
        },
        Command::Serve { listen, tls_cert, tls_key, .. } => {
            rt.block_on(async move {
                // Partial uploads nobody came back for are dropped, once an hour.
                let sweeper = Arc::clone(&hub);
                let ttl = hub.limits().partial_ttl;
                tokio::spawn(async move {
                    let mut hourly = tokio::time::interval(Duration::from_secs(3600));
                    loop {
                        hourly.tick().await;
                        let hub = Arc::clone(&sweeper);
                        match tokio::task::spawn_blocking(move || hub.sweep_partials(ttl)).await {
                            Ok(Ok(0)) => {}
                            Ok(Ok(n)) => log::info!("dropped {n} partial uploads idle for {ttl:?}"),
                            Ok(Err(e)) => log::warn!("partial uploads: {e}"),
                            Err(e) => log::warn!("partial uploads: {e}"),
                        }
                    }
                });
                let listener = std::net::TcpListener::bind(&listen)?;
                listener.set_nonblocking(true)?;
                let scheme = if tls_cert.is_some() { "https" } else { "http" };
                println!("listening on {}", listener.local_addr()?);
                log::info!("serving {scheme} on {}", listener.local_addr()?);
                use std::io::Write;
                std::io::stdout().flush()?;
                let app = hoso_hub::router(hub);
                match (tls_cert, tls_key) {
                    (Some(cert), Some(key)) => hoso_hub::serve_tls(listener, app, &cert, &key).await?,
                    _ => axum::serve(tokio::net::TcpListener::from_std(listener)?, app).await?,
                }
                anyhow::Ok(())
            })?;
        }
    }
    Ok(())
}
