//! Benchmark (not a test): the hub at city load (issue 13). Two replicas of
//! the real `hoso-hub` binary share one PostgreSQL and one S3 store (moto),
//! all on loopback. COUNTERS simulated counters, each with its own enrolled
//! device key and unit, send RECORDS records of PAGES pages of KB kilobytes
//! (incompressible, every one distinct) through the sync client the app uses
//! (`hoso_sync::client`: HEAD, resumable PUT, manifest PUT, receipt), all at
//! once and as fast as the hub takes them. When half the records are in,
//! replica A is killed (SIGKILL) and started again; a counter whose attempt
//! fails waits and tries the record again through the other replica, as a
//! load balancer would send it.
//!
//! It prints records/s, p50 / p99 latencies, each replica's peak memory, and
//! proves exactly once from what the hub stored, not from what it answered:
//! PostgreSQL holds every record sent once, with the manifest sent and the
//! receipt its counter holds (each verified with the hub's key); every blob
//! once, the size sent, in S3 with the hash it is named by; no upload left
//! half done.
//!
//! `--faults`: the soak. Every connection between the counters and the
//! replicas goes through a proxy that cuts it after a random number of bytes
//! (a flaky network: requests and answers lost mid-way, after the hub did the
//! work or before), besides the killed replica. The proof must hold still.
//!
//! Run by `scripts/bench-hub [COUNTERS RECORDS PAGES KB] [--faults]`, which
//! builds the hub and passes `--hub target/release/hoso-hub`.

#[path = "../tests/common/services.rs"]
mod services;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use hoso_sync::client::{Client, SyncError};
use hoso_sync::{Manifest, ManifestFile, Receipt, SigningKey};
use services::{Moto, Postgres};

struct Args {
    hub: PathBuf,
    counters: usize,
    records: usize,
    pages: usize,
    kb: usize,
    faults: bool,
}

fn args() -> anyhow::Result<Args> {
    let mut hub = None;
    let mut numbers = Vec::new();
    let mut faults = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--hub" => hub = it.next().map(PathBuf::from),
            "--faults" => faults = true,
            n => numbers.push(n.parse::<usize>().with_context(|| format!("not a number: {n}"))?),
        }
    }
    let n = |i: usize, default: usize| numbers.get(i).copied().unwrap_or(default).max(1);
    Ok(Args {
        hub: hub.context("--hub PATH (the hoso-hub binary) is required")?,
        counters: n(0, 200),
        records: n(1, 20),
        pages: n(2, 10),
        kb: n(3, 100),
        faults,
    })
}

/// Where and how replicas run.
#[derive(Clone)]
struct Setup {
    hub: PathBuf,
    volume: PathBuf,
    postgres: String,
    s3: String,
    logs: PathBuf,
}

/// One replica: the real binary, serving on a fixed port so that it can be
/// started again where it was.
struct Replica {
    name: &'static str,
    child: Child,
    port: u16,
    /// Peak resident memory (kB) of each life of the process, the last one last.
    peaks: Vec<u64>,
}

impl Setup {
    fn spawn(&self, name: &str, port: u16) -> anyhow::Result<Child> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.logs.join(name))?;
        let mut child = Command::new(&self.hub)
            .arg("--data")
            .arg(&self.volume)
            .args(["--postgres", &self.postgres, "--s3", &self.s3])
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .envs([("AWS_ACCESS_KEY_ID", "bench"), ("AWS_SECRET_ACCESS_KEY", "bench-secret")])
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("{}", self.hub.display()))?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
        anyhow::ensure!(line.starts_with("listening on"), "replica {name} said {line:?}");
        Ok(child)
    }

    fn replica(&self, name: &'static str) -> anyhow::Result<Replica> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        Ok(Replica { name, child: self.spawn(name, port)?, port, peaks: vec![0] })
    }
}

impl Replica {
    /// Notes the process's peak resident memory so far (VmHWM).
    fn sample(&mut self) {
        if let (Some(hwm), Some(last)) = (services::peak_memory_kib(self.child.id()), self.peaks.last_mut()) {
            *last = (*last).max(hwm);
        }
    }

    fn kill(&mut self) {
        self.sample();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the process again on its port: a new life.
    fn restart(&mut self, setup: &Setup) -> anyhow::Result<()> {
        self.child = setup.spawn(self.name, self.port)?;
        self.peaks.push(0);
        Ok(())
    }
}

struct Counter {
    index: usize,
    device: String,
    unit: String,
    pkcs8: Vec<u8>,
}

/// What one record's sending gave: for the proof and the figures.
struct Sent {
    record_id: String,
    device: String,
    digest: String,
    receipt: Receipt,
    blobs: Vec<(String, u64)>,
    seconds: f64,
}

#[derive(Default)]
struct Timings {
    blob: Vec<f64>,
    manifest: Vec<f64>,
    retries: usize,
}

/// Sends one record through `client`: each page (HEAD, then PUT from what
/// the hub holds), then the manifest; the receipt.
fn send(
    client: &Client,
    pages: &[Vec<u8>],
    manifest: &Manifest,
    t: &mut Timings,
) -> Result<Receipt, SyncError> {
    for (page, file) in pages.iter().zip(&manifest.files) {
        let at = Instant::now();
        client.put_blob(&file.sha256, page)?;
        t.blob.push(at.elapsed().as_secs_f64());
    }
    let at = Instant::now();
    let receipt = client.put_record(manifest)?;
    t.manifest.push(at.elapsed().as_secs_f64());
    Ok(receipt)
}

fn run_counter(
    c: &Counter,
    urls: &[String; 2],
    a: &Args,
    accepted: &AtomicUsize,
) -> anyhow::Result<(Vec<Sent>, Timings)> {
    let client = |url: &str| {
        let key = SigningKey::from_pkcs8(&c.pkcs8).context("device key")?;
        Client::new(url, &c.device, key, Duration::from_secs(60), None).map_err(anyhow::Error::from)
    };
    let clients = [client(&urls[0])?, client(&urls[1])?];
    let mut t = Timings::default();
    let mut sent = Vec::new();
    for r in 0..a.records {
        let pages: Vec<Vec<u8>> = (0..a.pages)
            .map(|p| services::noise(((c.index * a.records + r) * a.pages + p) as u64 + 1, a.kb * 1024))
            .collect();
        let record_id = hoso_model::RecordId::new_random().to_string();
        let files: Vec<ManifestFile> = pages
            .iter()
            .enumerate()
            .map(|(p, bytes)| ManifestFile {
                role: "page".into(),
                component: 1,
                ordinal: p as u32 + 1,
                sha256: hoso_sync::body_sha256(bytes),
                size: bytes.len() as u64,
                media_type: "image/png".into(),
                original_record: None,
            })
            .collect();
        let manifest = Manifest {
            version: 1,
            record_id: record_id.clone(),
            code: format!("{}-261206-{:04}", c.unit, r + 1),
            procedure: "1.001193".into(),
            unit: c.unit.clone(),
            channel: 1,
            applicant_name: format!("Công dân {} {}", c.index, r),
            applicant_id: None,
            applicant_identity: None,
            received_at: "2026-12-06T08:00:00+07:00".into(),
            sealed_at: "2026-12-06T08:30:00+07:00".into(),
            components: Vec::new(),
            files,
            audit_head: String::new(),
        };
        let started = Instant::now();
        let mut attempt = 0;
        let receipt = loop {
            // Odd counters start at replica B; a failed attempt goes to the other.
            match send(&clients[(c.index + attempt) % 2], &pages, &manifest, &mut t) {
                Ok(receipt) => break receipt,
                Err(e) if e.is_transient() && attempt < 50 => {
                    attempt += 1;
                    t.retries += 1;
                    std::thread::sleep(Duration::from_millis(100 << attempt.min(4)));
                }
                Err(e) => anyhow::bail!("{}: record {record_id}: {e}", c.device),
            }
        };
        accepted.fetch_add(1, Ordering::SeqCst);
        sent.push(Sent {
            digest: manifest.digest(),
            record_id,
            device: c.device.clone(),
            receipt,
            blobs: manifest.files.iter().map(|f| (f.sha256.clone(), f.size)).collect(),
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    Ok((sent, t))
}

/// The flaky network of `--faults`: forwards each connection to the replica
/// on `port` and cuts it after a random number of bytes, both ways counted
/// (16 KiB to 2 MiB: a request or an answer lost mid-way, before the hub did
/// the work or after).
async fn flaky_proxy(listener: tokio::net::TcpListener, port: u16, cuts: Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut seed = 0x2545_f491_4f6c_dd1d_u64 ^ u64::from(port);
    loop {
        let Ok((inbound, _)) = listener.accept().await else { continue };
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let budget = (16 << 10) + (seed % (2 << 20)) as usize;
        let cuts = Arc::clone(&cuts);
        tokio::spawn(async move {
            let Ok(outbound) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else { return };
            let (mut from_counter, mut to_counter) = inbound.into_split();
            let (mut from_hub, mut to_hub) = outbound.into_split();
            let (mut up, mut down) = (vec![0u8; 16 << 10], vec![0u8; 16 << 10]);
            let mut left = budget;
            loop {
                tokio::select! {
                    n = from_counter.read(&mut up) => {
                        let Ok(n @ 1..) = n else { return };
                        let pass = n.min(left);
                        if to_hub.write_all(&up[..pass]).await.is_err() {
                            return;
                        }
                        left -= pass;
                    }
                    n = from_hub.read(&mut down) => {
                        let Ok(n @ 1..) = n else { return };
                        let pass = n.min(left);
                        if to_counter.write_all(&down[..pass]).await.is_err() {
                            return;
                        }
                        left -= pass;
                    }
                }
                if left == 0 {
                    cuts.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            }
        });
    }
}

/// The value below which a share `q` of `values` lie (sorted in place).
fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * q).round() as usize]
}

fn main() -> anyhow::Result<()> {
    let a = args()?;
    let tmp = tempfile::tempdir()?;
    let total = a.counters * a.records;
    let bytes = (total * a.pages * a.kb * 1024) as f64;
    println!(
        "city load: {} counters × {} records × {} pages of {} KB = {total} records, {} pages ({:.1} GiB), \
         two replicas over PostgreSQL and S3 (moto){}",
        a.counters,
        a.records,
        a.pages,
        a.kb,
        total * a.pages,
        bytes / f64::from(1 << 30),
        if a.faults { ", every connection cut after a random number of bytes" } else { "" }
    );
    let pg = Postgres::start(tmp.path(), &["max_connections=300"]);
    let moto = Moto::start();
    let setup = Setup {
        hub: a.hub.clone(),
        volume: tmp.path().join("hub-volume"),
        postgres: pg.url.clone(),
        s3: format!("{}/hoso-blobs", moto.endpoint),
        logs: tmp.path().join("logs"),
    };
    std::fs::create_dir_all(&setup.logs)?;

    // Enrolment as IT does it: a key of each counter's own, bound to its unit.
    let counters: Vec<Counter> = (0..a.counters)
        .map(|i| Counter {
            index: i,
            device: format!("counter-{i:03}"),
            unit: format!("000.{:02}.{:02}.H29", i / 100 % 100, i % 100),
            pkcs8: SigningKey::generate(),
        })
        .collect();
    let hub_key = {
        let hub = hoso_hub::Hub::open_postgres(&setup.volume, &hoso_hub::PgConfig::new(&pg.url))?;
        for c in &counters {
            let key = SigningKey::from_pkcs8(&c.pkcs8).context("device key")?;
            hub.enrol_for(&c.device, &key.public_hex(), Some(&c.unit), "bench")?;
        }
        hub.public_key()
    };
    let replicas = Arc::new(Mutex::new([setup.replica("a")?, setup.replica("b")?]));
    let ports = replicas.lock().map_err(|_| anyhow::anyhow!("lock"))?.each_ref().map(|r| r.port);

    let rt = tokio::runtime::Runtime::new()?;
    let cuts = Arc::new(AtomicUsize::new(0));
    let urls: [String; 2] = if a.faults {
        let mut urls = Vec::new();
        for port in ports {
            let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
            urls.push(format!("http://{}", listener.local_addr()?));
            rt.spawn(flaky_proxy(listener, port, Arc::clone(&cuts)));
        }
        [urls[0].clone(), urls[1].clone()]
    } else {
        ports.map(|p| format!("http://127.0.0.1:{p}"))
    };

    // Halfway, replica A is killed and started again two seconds later.
    let accepted = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let monitor = {
        let (replicas, accepted, done, setup) =
            (Arc::clone(&replicas), Arc::clone(&accepted), Arc::clone(&done), setup.clone());
        std::thread::spawn(move || -> anyhow::Result<Option<(usize, f64)>> {
            let mut outage = None;
            while !done.load(Ordering::SeqCst) {
                {
                    let mut r = replicas.lock().map_err(|_| anyhow::anyhow!("lock"))?;
                    r.iter_mut().for_each(Replica::sample);
                    if outage.is_none() && accepted.load(Ordering::SeqCst) >= total / 2 {
                        let at = accepted.load(Ordering::SeqCst);
                        r[0].kill();
                        let down = Instant::now();
                        std::thread::sleep(Duration::from_secs(2));
                        r[0].restart(&setup)?;
                        outage = Some((at, down.elapsed().as_secs_f64()));
                    }
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok(outage)
        })
    };

    let started = Instant::now();
    let results: Vec<anyhow::Result<(Vec<Sent>, Timings)>> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            counters.iter().map(|c| scope.spawn(|| run_counter(c, &urls, &a, &accepted))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a counter panicked"))))
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    done.store(true, Ordering::SeqCst);
    let outage = monitor.join().map_err(|_| anyhow::anyhow!("the monitor panicked"))??;
    let peaks = {
        let mut r = replicas.lock().map_err(|_| anyhow::anyhow!("lock"))?;
        r.iter_mut().for_each(Replica::kill);
        r.each_ref().map(|r| r.peaks.clone())
    };

    let mut sent = Vec::new();
    let mut timings = Timings::default();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok((s, t)) => {
                sent.extend(s);
                timings.blob.extend(t.blob);
                timings.manifest.extend(t.manifest);
                timings.retries += t.retries;
            }
            Err(e) => problems.push(format!("{e:#}")),
        }
    }
    let mut record_seconds: Vec<f64> = sent.iter().map(|s| s.seconds).collect();
    println!(
        "sent in {seconds:.1} s: {:.1} records/s, {:.0} pages/s, {:.1} MiB/s; a city day (15,000 records) \
         would take {:.1} min at this pace",
        sent.len() as f64 / seconds,
        (sent.len() * a.pages) as f64 / seconds,
        bytes / f64::from(1 << 20) / seconds,
        15_000.0 / (sent.len() as f64 / seconds) / 60.0
    );
    println!(
        "latency: record (its {} pages and manifest, retries included) p50 {:.2} s, p99 {:.2} s; \
         page (HEAD + PUT) p50 {:.0} ms, p99 {:.0} ms; manifest PUT p50 {:.0} ms, p99 {:.0} ms",
        a.pages,
        percentile(&mut record_seconds, 0.5),
        percentile(&mut record_seconds, 0.99),
        percentile(&mut timings.blob, 0.5) * 1e3,
        percentile(&mut timings.blob, 0.99) * 1e3,
        percentile(&mut timings.manifest, 0.5) * 1e3,
        percentile(&mut timings.manifest, 0.99) * 1e3,
    );
    match outage {
        Some((at, down)) => println!(
            "replica A killed after {at} records were accepted, serving again {down:.1} s later; \
             attempts that failed and were made again: {}{}",
            timings.retries,
            if a.faults {
                format!("; connections cut by the proxy: {}", cuts.load(Ordering::Relaxed))
            } else {
                String::new()
            }
        ),
        None => println!("replica A was not killed (the run ended first)"),
    }
    let mb = |kb: &u64| format!("{:.0} MB", *kb as f64 / 1024.0);
    println!(
        "peak memory: replica A {} (killed), then {}; replica B {}",
        mb(&peaks[0][0]),
        peaks[0].get(1).map_or("-".into(), mb),
        mb(&peaks[1][0])
    );

    // The proof, from what the hub stored.
    let mut db = postgres::Client::connect(&pg.url, postgres::NoTls)?;
    let stored: HashMap<String, (String, String, String)> = db
        .query("SELECT id, manifest_sha256, receipt, device FROM records", &[])?
        .into_iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect();
    if stored.len() != total {
        problems.push(format!("{} records in PostgreSQL, {total} sent", stored.len()));
    }
    let mut verified = 0;
    for s in &sent {
        let Some((digest, receipt, device)) = stored.get(&s.record_id) else {
            problems.push(format!("record {} is not in PostgreSQL", s.record_id));
            continue;
        };
        let receipt: Receipt = serde_json::from_str(receipt)?;
        if digest != &s.digest || device != &s.device {
            problems.push(format!("record {}: stored with another manifest or device", s.record_id));
        } else if receipt != s.receipt {
            problems.push(format!("record {}: the counter holds another receipt", s.record_id));
        } else if !receipt.verify(&hub_key) || receipt.manifest_sha256 != s.digest {
            problems.push(format!("record {}: the receipt does not verify", s.record_id));
        } else {
            verified += 1;
        }
    }
    let expected: HashMap<String, u64> = sent.iter().flat_map(|s| s.blobs.iter().cloned()).collect();
    let blobs: HashMap<String, i64> =
        db.query("SELECT hash, size FROM blobs", &[])?.into_iter().map(|r| (r.get(0), r.get(1))).collect();
    if blobs.len() != expected.len() {
        problems.push(format!("{} blobs in PostgreSQL, {} sent", blobs.len(), expected.len()));
    }
    for (hash, size) in &expected {
        if blobs.get(hash).map(|s| *s as u64) != Some(*size) {
            problems.push(format!("blob {hash}: not in PostgreSQL with its size"));
        }
    }
    // Every blob's bytes, read back from S3 and hashed.
    let checked = Instant::now();
    let s3 = Arc::new(hoso_hub::s3::S3::new(&setup.s3, "us-east-1", "bench", "bench-secret")?);
    let in_s3 = rt.block_on(async {
        let gate = Arc::new(tokio::sync::Semaphore::new(16));
        let mut tasks = tokio::task::JoinSet::new();
        for hash in expected.keys().cloned() {
            let (s3, gate) = (Arc::clone(&s3), Arc::clone(&gate));
            tasks.spawn(async move {
                let _turn = gate.acquire_owned().await;
                match s3.get(&format!("blobs/{hash}")).await {
                    Ok(Some(bytes)) if hoso_sync::body_sha256(&bytes) == hash => None,
                    Ok(Some(_)) => Some(format!("blob {hash}: S3 holds other bytes")),
                    Ok(None) => Some(format!("blob {hash}: not in S3")),
                    Err(e) => Some(format!("blob {hash}: {e:#}")),
                }
            });
        }
        let mut problems = Vec::new();
        while let Some(r) = tasks.join_next().await {
            problems.extend(r.ok().flatten());
        }
        problems
    });
    let s3_ok = expected.len() - in_s3.len();
    problems.extend(in_s3);
    let partials: usize = std::fs::read_dir(setup.volume.join("partial"))
        .map(|dirs| {
            dirs.flatten().map(|d| std::fs::read_dir(d.path()).map_or(0, |f| f.count())).sum::<usize>()
        })
        .unwrap_or(0);
    let distinct: HashSet<&String> = sent.iter().map(|s| &s.record_id).collect();
    println!(
        "exactly once: {} records in PostgreSQL for {} sent ({} distinct), {verified} with the manifest sent \
         and the receipt its counter holds, verified with the hub's key; {} blobs in PostgreSQL for {} sent, \
         {s3_ok} read back from S3 with their hash ({:.1} s); partial uploads left: {partials}",
        stored.len(),
        total,
        distinct.len(),
        blobs.len(),
        expected.len(),
        checked.elapsed().as_secs_f64()
    );
    for p in problems.iter().take(20) {
        println!("PROBLEM: {p}");
    }
    anyhow::ensure!(problems.is_empty(), "{} problems: exactly once NOT proven", problems.len());
    println!("exactly once: proven");
    Ok(())
}
