//! `loadgen`: the load generator behind `make bench` (see docs/decisions.md, "Benchmarks").
//!
//! A small HTTP/1.1 keep-alive client on tokio, because the journal benchmark needs what
//! general tools cannot do: every writer saves its own entry on the version its previous save
//! returned (a stale version would be refused, which is not the path being measured).
//! Open-loop runs schedule requests at a fixed rate and measure latency from the scheduled time,
//! so a slow server cannot hide its queue (no coordinated omission).
//!
//! ```text
//! loadgen hello ADDR                         serve a bare axum "hello" route (the baseline)
//! loadgen bench SERVER_ADDR HELLO_ADDR       run every benchmark and print the figures
//! loadgen page SERVER_ADDR PATH [teacher]   one page, 64 connections (to profile a page)
//! loadgen seed SQLITE_URL TEACHERS           bulk-add teachers (with ratings, units done,
//!                                            journal entries and a submission each) to the
//!                                            first cohort until it has TEACHERS of them
//! ```

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

type Error = Box<dyn std::error::Error + Send + Sync>;

const TEACHER_EMAIL: &str = "teacher@demo.test";
const TEACHER_PASSWORD: &str = "demo teacher password";
const WRITERS: usize = 64;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("hello") => {
            let addr: SocketAddr = args.get(1).ok_or("hello needs an address")?.parse()?;
            let router = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
            let listener = tokio::net::TcpListener::bind(addr).await?;
            axum::serve(listener, router).await?;
            Ok(())
        }
        Some("bench") => {
            let server: SocketAddr = args
                .get(1)
                .ok_or("bench needs the server address")?
                .parse()?;
            let hello: SocketAddr = args
                .get(2)
                .ok_or("bench needs the hello address")?
                .parse()?;
            let seconds: u64 = std::env::var("BENCH_SECONDS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(10);
            bench(server, hello, Duration::from_secs(seconds)).await
        }
        Some("page") => {
            // One page, closed loop at 64 connections (for profiling one page at a time).
            let server: SocketAddr = args.get(1).ok_or("page needs the server address")?.parse()?;
            let path = args.get(2).ok_or("page needs a path")?;
            let cookie = match args.get(3).map(String::as_str) {
                Some("teacher") => Some(sign_in(server).await?),
                _ => None,
            };
            let seconds: u64 = std::env::var("BENCH_SECONDS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(10);
            let (mut s, e) = closed_loop_get(
                server,
                path,
                cookie,
                "text/html",
                64,
                Duration::from_secs(seconds),
            )
            .await?;
            report(path, &mut s, e);
            Ok(())
        }
        Some("seed") => {
            let url = args.get(1).ok_or("seed needs a sqlite: URL")?;
            let teachers: i64 = args.get(2).ok_or("seed needs a count")?.parse()?;
            seed(url, teachers).await
        }
        _ => Err(
            "usage: loadgen hello ADDR | loadgen bench SERVER_ADDR HELLO_ADDR | loadgen page SERVER_ADDR PATH [teacher] | loadgen seed URL N"
                .into(),
        ),
    }
}

/// One keep-alive connection.
struct Conn {
    addr: SocketAddr,
    stream: TcpStream,
    buf: Vec<u8>,
}

/// A parsed answer.
struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Result<Self, Error> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            addr,
            stream,
            buf: Vec::with_capacity(64 * 1024),
        })
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        accept: &str,
        form: Option<&str>,
    ) -> Result<Reply, Error> {
        let mut request = Vec::with_capacity(512);
        write!(
            request,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept: {accept}\r\n",
            self.addr
        )?;
        if let Some(c) = cookie {
            write!(request, "Cookie: {c}\r\n")?;
        }
        if let Some(body) = form {
            write!(
                request,
                "Origin: http://{}\r\nSec-Fetch-Site: same-origin\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                self.addr,
                body.len()
            )?;
        } else {
            request.extend_from_slice(b"\r\n");
        }
        self.stream.write_all(&request).await?;
        self.read_reply().await
    }

    /// Sends a request with any body and extra header lines (each ending in `\r\n`).
    async fn send_raw(
        &mut self,
        path: &str,
        extra_headers: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<Reply, Error> {
        let mut request = Vec::with_capacity(body.len() + 512);
        write!(
            request,
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
             Origin: http://{addr}\r\nSec-Fetch-Site: same-origin\r\n{extra_headers}\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len(),
            addr = self.addr,
        )?;
        request.extend_from_slice(body);
        self.stream.write_all(&request).await?;
        self.read_reply().await
    }

    async fn read_reply(&mut self) -> Result<Reply, Error> {
        self.buf.clear();
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0_u8; 16 * 1024];
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err("connection closed".into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).into_owned();
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("no status")?;
        let lower = head.to_ascii_lowercase();
        let body = if let Some(len) = header(&lower, "content-length") {
            let len: usize = len.parse()?;
            while self.buf.len() < head_end + len {
                let mut chunk = [0_u8; 16 * 1024];
                let n = self.stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err("connection closed".into());
                }
                self.buf.extend_from_slice(&chunk[..n]);
            }
            self.buf[head_end..head_end + len].to_vec()
        } else if header(&lower, "transfer-encoding").is_some_and(|t| t.contains("chunked")) {
            self.read_chunked(head_end).await?
        } else {
            Vec::new()
        };
        Ok(Reply {
            status,
            headers: head,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    async fn read_chunked(&mut self, mut at: usize) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(i) = find(&self.buf[at..], b"\r\n") {
                    break at + i;
                }
                self.fill().await?;
            };
            let size_text = String::from_utf8_lossy(&self.buf[at..line_end]).into_owned();
            let size =
                usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)?;
            at = line_end + 2;
            while self.buf.len() < at + size + 2 {
                self.fill().await?;
            }
            body.extend_from_slice(&self.buf[at..at + size]);
            at += size + 2;
            if size == 0 {
                return Ok(body);
            }
        }
    }

    async fn fill(&mut self) -> Result<(), Error> {
        let mut chunk = [0_u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err("connection closed".into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn header<'a>(lower_head: &'a str, name: &str) -> Option<&'a str> {
    lower_head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == name).then(|| v.trim())
    })
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Signs the demo teacher in; answers the session cookie.
async fn sign_in(addr: SocketAddr) -> Result<String, Error> {
    sign_in_as(addr, TEACHER_EMAIL, TEACHER_PASSWORD).await
}

/// Signs a demo account in; answers the session cookie.
async fn sign_in_as(addr: SocketAddr, email: &str, password: &str) -> Result<String, Error> {
    let mut c = Conn::open(addr).await?;
    let form = format!(
        "email={}&password={}&next=%2F",
        encode(email),
        encode(password)
    );
    let reply = c
        .send(
            "POST",
            "/api/account/sign-in",
            None,
            "application/json",
            Some(&form),
        )
        .await?;
    reply
        .headers
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .find_map(|l| {
            let value = l.split_once(':')?.1.trim();
            let pair = value.split(';').next()?;
            pair.contains("session=").then(|| pair.to_owned())
        })
        .ok_or_else(|| format!("sign-in failed ({}): {}", reply.status, reply.body).into())
}

/// Latencies of one run, and what it came to.
#[derive(Default)]
struct Sample {
    latencies: Vec<Duration>,
    errors: u64,
    cpu_before: Option<(u64, u64)>,
}

/// CPU time counters of the whole machine (`/proc/stat`), to say how much of a run the
/// hypervisor took away (steal): figures from a run with heavy steal are not comparable.
fn cpu_counters() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    let total = fields.iter().sum();
    Some((total, *fields.get(7)?))
}

/// Steal as a percentage of all CPU time since `before`.
fn steal_since(before: Option<(u64, u64)>) -> String {
    match (before, cpu_counters()) {
        (Some((t0, s0)), Some((t1, s1))) if t1 > t0 => {
            #[allow(clippy::cast_precision_loss)]
            let pct = 100.0 * (s1.saturating_sub(s0)) as f64 / (t1 - t0) as f64;
            format!("steal {pct:>4.1} %")
        }
        _ => String::new(),
    }
}

/// Prints one run's line; returns its rate (req/s) and median latency (ms).
fn report(name: &str, sample: &mut Sample, elapsed: Duration) -> (f64, f64) {
    sample.latencies.sort();
    let n = sample.latencies.len();
    let at = |q: f64| {
        if n == 0 {
            return 0.0;
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((n as f64 * q).ceil() as usize).clamp(1, n) - 1;
        sample.latencies[i].as_secs_f64() * 1000.0
    };
    #[allow(clippy::cast_precision_loss)]
    let rate = n as f64 / elapsed.as_secs_f64();
    println!(
        "{name:<46} {n:>7} ok {:>4} errors  {rate:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  {}",
        sample.errors,
        at(0.50),
        at(0.99),
        at(1.0),
        steal_since(sample.cpu_before),
    );
    (rate, at(0.50))
}

/// Closed loop: `connections` clients, each sending its next request when the last answered.
async fn closed_loop_get(
    addr: SocketAddr,
    path: &str,
    cookie: Option<String>,
    accept: &'static str,
    connections: usize,
    duration: Duration,
) -> Result<(Sample, Duration), Error> {
    let sample = Arc::new(Mutex::new(Sample {
        cpu_before: cpu_counters(),
        ..Sample::default()
    }));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let sample = sample.clone();
        let path = path.to_owned();
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            let mut local = Sample::default();
            let mut conn = Conn::open(addr).await?;
            while start.elapsed() < duration {
                let t = Instant::now();
                match conn
                    .send("GET", &path, cookie.as_deref(), accept, None)
                    .await
                {
                    Ok(r) if r.status == 200 => local.latencies.push(t.elapsed()),
                    Ok(_) => local.errors += 1,
                    Err(_) => {
                        local.errors += 1;
                        conn = Conn::open(addr).await?;
                    }
                }
            }
            let mut s = sample.lock().await;
            s.latencies.extend(local.latencies);
            s.errors += local.errors;
            Ok::<(), Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let elapsed = start.elapsed();
    let sample = Arc::try_unwrap(sample)
        .map_err(|_| "sample still shared")?
        .into_inner();
    Ok((sample, elapsed))
}

/// One writer: its own session, its own entry, the version of its last save.
struct Writer {
    conn: Conn,
    cookie: String,
    entry: i64,
    version: i64,
    n: u64,
}

impl Writer {
    async fn new(addr: SocketAddr, cookie: String, k: usize) -> Result<Self, Error> {
        let mut conn = Conn::open(addr).await?;
        let form = format!(
            "entry%5Btitle%5D=Benchmark+writer+{k}&entry%5Bbody%5D=Start.&entry%5Bcompetency%5D=communication&entry%5Bframework%5D=mcf"
        );
        let reply = conn
            .send(
                "POST",
                "/api/journal/create",
                Some(&cookie),
                "application/json",
                Some(&form),
            )
            .await?;
        let entry: i64 = reply
            .body
            .trim()
            .parse()
            .map_err(|_| format!("create failed ({}): {}", reply.status, reply.body))?;
        Ok(Self {
            conn,
            cookie,
            entry,
            version: 1,
            n: 0,
        })
    }

    /// One autosave; answers whether the server saved it.
    async fn save(&mut self) -> Result<bool, Error> {
        self.n += 1;
        // A paragraph that grows, as a reflection does while typed.
        let body = format!(
            "Today my mentee led the starter activity and I only observed. Save {}.",
            self.n
        );
        let form = format!(
            "entry%5Bid%5D={}&entry%5Bbase_version%5D={}&entry%5Btitle%5D=Benchmark&entry%5Bbody%5D={}&entry%5Bautosave%5D=true",
            self.entry,
            self.version,
            encode(&body)
        );
        let reply = self
            .conn
            .send(
                "POST",
                "/api/journal/save",
                Some(&self.cookie),
                "application/json",
                Some(&form),
            )
            .await?;
        let version = reply
            .body
            .split("\"version\":")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|s| s.parse().ok());
        match (reply.status, version) {
            (200, Some(v)) if reply.body.starts_with("{\"Saved\"") => {
                self.version = v;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

async fn writers(addr: SocketAddr, cookies: &[String]) -> Result<Vec<Writer>, Error> {
    let mut out = Vec::new();
    for (k, cookie) in cookies.iter().enumerate() {
        out.push(Writer::new(addr, cookie.clone(), k).await?);
    }
    Ok(out)
}

/// Waits for every writer's task and puts their samples together.
async fn gather(
    tasks: Vec<tokio::task::JoinHandle<Result<Sample, Error>>>,
    cpu_before: Option<(u64, u64)>,
    start: Instant,
) -> Result<(Sample, Duration), Error> {
    let mut all = Sample {
        cpu_before,
        ..Sample::default()
    };
    for t in tasks {
        let s = t.await??;
        all.latencies.extend(s.latencies);
        all.errors += s.errors;
    }
    Ok((all, start.elapsed()))
}

/// Closed loop: every writer saves again as soon as its last save answered.
async fn autosave_closed(
    writers: Vec<Writer>,
    duration: Duration,
) -> Result<(Sample, Duration), Error> {
    let cpu_before = cpu_counters();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for mut w in writers {
        tasks.push(tokio::spawn(async move {
            let mut s = Sample::default();
            while start.elapsed() < duration {
                let t = Instant::now();
                match w.save().await {
                    Ok(true) => s.latencies.push(t.elapsed()),
                    _ => s.errors += 1,
                }
            }
            Ok::<Sample, Error>(s)
        }));
    }
    gather(tasks, cpu_before, start).await
}

/// Open loop: `rate` saves per second in all, spread evenly over the writers; latency counts
/// from when each save was due, so a queue on the server shows.
async fn autosave_open(
    writers: Vec<Writer>,
    rate: u32,
    duration: Duration,
) -> Result<(Sample, Duration), Error> {
    let count = u32::try_from(writers.len()).unwrap_or(1).max(1);
    let interval = Duration::from_secs_f64(f64::from(count) / f64::from(rate));
    let cpu_before = cpu_counters();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (k, mut w) in writers.into_iter().enumerate() {
        let offset = interval.mul_f64(f64::from(u32::try_from(k).unwrap_or(0)) / f64::from(count));
        tasks.push(tokio::spawn(async move {
            let mut s = Sample::default();
            let mut due = start + offset;
            while due.duration_since(start) < duration {
                tokio::time::sleep_until(due.into()).await;
                match w.save().await {
                    Ok(true) => s.latencies.push(due.elapsed()),
                    _ => s.errors += 1,
                }
                due += interval;
            }
            Ok::<Sample, Error>(s)
        }));
    }
    gather(tasks, cpu_before, start).await
}

/// The costliest credential `/api/verify` still accepts: just under the structure limits
/// (10,000 values), with a proof, so it is expanded and canonicalised before its signature
/// fails.
fn worst_credential() -> String {
    let results: Vec<String> = (0..1_600)
        .map(|i| {
            format!(
                r#"{{"type":["Result"],"resultDescription":"urn:uuid:{i:08}-0000-4000-8000-000000000000","achievedLevel":"urn:uuid:{i:08}-1111-4000-8000-000000000000"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"id":"urn:uuid:00000000-0000-4000-8000-000000000001","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{{"id":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2","type":["Profile"],"name":"Bench"}},"validFrom":"2026-01-01T00:00:00Z","name":"Worst case","credentialSubject":{{"type":["AchievementSubject"],"achievement":{{"id":"urn:uuid:00000000-0000-4000-8000-000000000002","type":["Achievement"],"name":"A","description":"D","criteria":{{"narrative":"N"}}}},"result":[{}]}},"proof":{{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","created":"2026-01-01T00:00:00Z","verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2","proofPurpose":"assertionMethod","proofValue":"z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"}}}}"#,
        results.join(",")
    )
}

/// `/healthz` answered while `workers` clients keep the costliest accepted inputs coming: 100 KB
/// of nested quotes to the journal preview, and the worst credential to `/api/verify` (each
/// from its own address, as a crowd would, so the per-address limit does not hide the cost).
async fn healthz_under_worst_inputs(
    server: SocketAddr,
    cookie: &str,
    workers: usize,
    duration: Duration,
) -> Result<(Sample, Duration, u64), Error> {
    let start = Instant::now();
    let done = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let preview = format!("text={}", encode(&">".repeat(100 * 1024 - 16)));
    let credential = worst_credential();
    let boundary = "loadgenboundary";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{credential}\r\n--{boundary}--\r\n"
    );
    let mut tasks = Vec::new();
    for k in 0..workers {
        let (preview, multipart, cookie, done) = (
            preview.clone(),
            multipart.clone(),
            cookie.to_owned(),
            done.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(server).await?;
            let mut n = 0_u32;
            while start.elapsed() < duration {
                n += 1;
                let reply = if k % 2 == 0 {
                    conn.send_raw(
                        "/api/journal/preview",
                        &format!("Cookie: {cookie}\r\n"),
                        "application/x-www-form-urlencoded",
                        preview.as_bytes(),
                    )
                    .await?
                } else {
                    conn.send_raw(
                        "/api/verify",
                        &format!("X-Forwarded-For: 10.{}.{}.{}\r\n", k, n / 250, n % 250),
                        &format!("multipart/form-data; boundary={boundary}"),
                        multipart.as_bytes(),
                    )
                    .await?
                };
                if reply.status < 500 || reply.status == 503 {
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
            Ok::<(), Error>(())
        }));
    }
    // Let the heavy work start before measuring.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (sample, elapsed) = closed_loop_get(
        server,
        "/healthz",
        None,
        "application/json",
        2,
        duration.saturating_sub(Duration::from_millis(600)),
    )
    .await?;
    for t in tasks {
        t.await??;
    }
    Ok((
        sample,
        elapsed,
        done.load(std::sync::atomic::Ordering::Relaxed),
    ))
}

/// The demo teacher's dashboard, closed loop at 64 connections for `duration`, reported under
/// `label`; answers (rate in requests/s, p50 in ms).
async fn dashboard_run(
    server: SocketAddr,
    cookie: &str,
    label: &str,
    duration: Duration,
) -> Result<(f64, f64), Error> {
    let (mut s, e) = closed_loop_get(
        server,
        "/dashboard",
        Some(cookie.to_owned()),
        "text/html",
        64,
        duration,
    )
    .await?;
    Ok(report(label, &mut s, e))
}

/// Every page kind, with who asks for it: (label, path, cookie index: none, teacher, assessor,
/// coordinator).
const PAGES: [(&str, &str, usize); 20] = [
    ("public", "/", 0),
    ("public", "/frameworks", 0),
    ("public", "/frameworks/mcf", 0),
    ("public", "/frameworks/mcf/competencies/communication", 0),
    (
        "public",
        "/frameworks/mcf/units/listening-and-asking-better-questions",
        0,
    ),
    ("public", "/sign-in", 0),
    ("public", "/verify", 0),
    ("teacher", "/dashboard", 1),
    (
        "teacher",
        "/frameworks/mcf/competencies/communication/checklist",
        1,
    ),
    (
        "teacher",
        "/frameworks/mcf/competencies/communication/evidence",
        1,
    ),
    ("teacher", "/journal", 1),
    ("teacher", "/credentials", 1),
    ("teacher", "/learning-statement", 1),
    ("teacher", "/profile", 1),
    ("assessor", "/assess", 2),
    ("coordinator", "/coordinator", 3),
    ("coordinator", "/coordinator/cohorts/1", 3),
    ("coordinator", "/coordinator/cohorts/1/moderation", 3),
    ("coordinator", "/coordinator/cohorts/1/evaluation", 3),
    ("coordinator", "/coordinator/evaluation", 3),
];

/// The page-hang check (issue 14): `connections` clients request every page kind, each as its
/// reader, over and over for `duration`; a page is complete when its whole body (to the last
/// chunk, after the resolved resources' scripts) arrived within `limit` and holds the document.
/// Returns how many were complete and the incomplete ones.
async fn every_page_completes(
    server: SocketAddr,
    cookies: [Option<String>; 4],
    connections: usize,
    duration: Duration,
    limit: Duration,
) -> Result<(Sample, Duration, Vec<String>), Error> {
    let start = Instant::now();
    let cookies = Arc::new(cookies);
    let mut tasks = Vec::new();
    for k in 0..connections {
        let cookies = cookies.clone();
        tasks.push(tokio::spawn(async move {
            let mut local = Sample::default();
            let mut incomplete = Vec::new();
            let mut conn = Conn::open(server).await?;
            let mut i = k;
            while start.elapsed() < duration {
                let (kind, path, who) = PAGES[i % PAGES.len()];
                i += 1;
                let t = Instant::now();
                let cookie = cookies[who].as_deref();
                match tokio::time::timeout(limit, conn.send("GET", path, cookie, "text/html", None))
                    .await
                {
                    // The chunked body was read to its last chunk (a stalled render never
                    // sends it) and holds the whole document.
                    Ok(Ok(r)) if r.status == 200 && r.body.contains("</html>") => {
                        local.latencies.push(t.elapsed());
                    }
                    Ok(Ok(r)) => {
                        incomplete.push(format!(
                            "{kind} {path}: {} with {} bytes",
                            r.status,
                            r.body.len()
                        ));
                        conn = Conn::open(server).await?;
                    }
                    Ok(Err(e)) => {
                        incomplete.push(format!("{kind} {path}: {e}"));
                        conn = Conn::open(server).await?;
                    }
                    Err(_) => {
                        incomplete.push(format!("{kind} {path}: no complete answer in {limit:?}"));
                        conn = Conn::open(server).await?;
                    }
                }
            }
            Ok::<_, Error>((local, incomplete))
        }));
    }
    let mut sample = Sample {
        cpu_before: cpu_counters(),
        ..Sample::default()
    };
    let mut incomplete = Vec::new();
    for t in tasks {
        let (local, bad) = t.await??;
        sample.latencies.extend(local.latencies);
        incomplete.extend(bad);
    }
    sample.errors = u64::try_from(incomplete.len()).unwrap_or(u64::MAX);
    Ok((sample, start.elapsed(), incomplete))
}

async fn bench(server: SocketAddr, hello: SocketAddr, duration: Duration) -> Result<(), Error> {
    println!("signing in {WRITERS} sessions of the demo teacher…");
    let mut cookies = Vec::new();
    for _ in 0..WRITERS {
        cookies.push(sign_in(server).await?);
    }
    // A dashboard with something on it: a few ratings.
    let mut c = Conn::open(server).await?;
    for (k, indicator) in ["active-listening", "framing-questions", "giving-feedback"]
        .iter()
        .enumerate()
    {
        let form = format!(
            "rating%5Bframework%5D=mcf&rating%5Bcompetency%5D=communication&rating%5Bindicator%5D={indicator}&rating%5Bphase%5D=baseline&rating%5Blevel%5D={}",
            k + 1
        );
        c.send(
            "POST",
            "/api/checklist/save",
            Some(&cookies[0]),
            "application/json",
            Some(&form),
        )
        .await?;
    }
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let run = |name: &str| only.is_empty() || only == name;
    let secs = duration.as_secs();
    println!("\nEach run lasts {secs} s. Latency in milliseconds.\n");

    if run("dashboard") {
        let (mut s, e) = closed_loop_get(hello, "/", None, "text/plain", 64, duration).await?;
        let (hello_rate, _) = report("bare axum hello, 64 connections", &mut s, e);
        let (dashboard_rate, _) = dashboard_run(
            server,
            &cookies[0],
            "dashboard page (SSR), 64 connections",
            duration,
        )
        .await?;
        println!(
            "{:<46} {:.1} % of the hello route's rate (target: dashboard ≥ 5000 req/s)",
            "dashboard / hello",
            100.0 * dashboard_rate / hello_rate.max(1.0)
        );
        // The framework's floor on this machine: the smallest page, no query, no session.
        let (mut s, e) =
            closed_loop_get(server, "/sign-in", None, "text/html", 64, duration).await?;
        let (floor, _) = report("sign-in page (SSR, no data), 64 connections", &mut s, e);
        println!(
            "{:<46} {:.1} % of the smallest page's rate",
            "dashboard / sign-in",
            100.0 * dashboard_rate / floor.max(1.0)
        );
    }
    if run("autosave") {
        let w = writers(server, &cookies).await?;
        let (mut s, e) = autosave_open(w, 2000, duration).await?;
        report("journal autosave, 64 writers, 2000/s offered", &mut s, e);
        let w = writers(server, &cookies).await?;
        let (mut s, e) = autosave_closed(w, duration).await?;
        report("journal autosave, 64 writers, flat out", &mut s, e);
    }
    if run("worst") {
        let (mut s, e) =
            closed_loop_get(server, "/healthz", None, "application/json", 2, duration).await?;
        report("/healthz alone, 2 connections", &mut s, e);
        let (mut s, e, heavy) =
            healthz_under_worst_inputs(server, &cookies[0], 8, duration).await?;
        report("/healthz beside 8 clients of worst inputs", &mut s, e);
        #[allow(clippy::cast_precision_loss)]
        let heavy_rate = heavy as f64 / duration.as_secs_f64();
        println!(
            "{:<46} {heavy:>7} answered ({heavy_rate:.1}/s): 100 KB nested-quote previews and 10,000-value credentials",
            "  the worst inputs themselves"
        );
    }
    if run("pages") {
        let teacher = Some(cookies[0].clone());
        let assessor =
            Some(sign_in_as(server, "assessor@demo.test", "demo assessor password").await?);
        let coordinator =
            Some(sign_in_as(server, "coordinator@demo.test", "demo coordinator password").await?);
        let (mut s, e, incomplete) = every_page_completes(
            server,
            [None, teacher, assessor, coordinator],
            64,
            duration,
            Duration::from_secs(10),
        )
        .await?;
        report("every page kind (20), 64 connections", &mut s, e);
        if !incomplete.is_empty() {
            for line in incomplete.iter().take(20) {
                println!("  incomplete: {line}");
            }
            return Err(format!(
                "{} page(s) did not complete (issue 14: no render may hang)",
                incomplete.len()
            )
            .into());
        }
        println!(
            "{:<46} every body complete within 10 s",
            "  page-hang check"
        );
    }
    if run("evaluation") {
        // A second cohort of 1,000 teachers with full histories, coordinated by the demo
        // coordinator (an institution coordinator): its evaluation page, then every cohort's.
        let url = std::env::var("BENCH_DATABASE_URL")
            .map_err(|_| "the evaluation run needs BENCH_DATABASE_URL, the server's sqlite: URL")?;
        let t = Instant::now();
        let cohort = seed_evaluation(&url, 1_000).await?;
        println!(
            "{:<46} {:.1} s",
            "  seeding a cohort of 1,000 full histories",
            t.elapsed().as_secs_f64()
        );
        let coordinator =
            sign_in_as(server, "coordinator@demo.test", "demo coordinator password").await?;
        for (label, path) in [
            (
                "evaluation page, 1,000 teachers, 1 connection",
                format!("/coordinator/cohorts/{cohort}/evaluation"),
            ),
            (
                "all cohorts' evaluation, 1 connection",
                "/coordinator/evaluation".to_owned(),
            ),
        ] {
            let (mut s, e) = closed_loop_get(
                server,
                &path,
                Some(coordinator.clone()),
                "text/html",
                1,
                duration,
            )
            .await?;
            report(label, &mut s, e);
        }
        println!("Target (issue 17): the evaluation page answers in ≤ 200 ms for 1,000 teachers.");
    }
    if run("scale") {
        // Last, as it grows the database: the same teacher's dashboard in a cohort of 1,000 and of 100,000 teachers.
        let url = std::env::var("BENCH_DATABASE_URL")
            .map_err(|_| "the scale run needs BENCH_DATABASE_URL, the server's sqlite: URL")?;
        let mut medians = Vec::new();
        for teachers in [1_000, 100_000] {
            let t = Instant::now();
            seed(&url, teachers).await?;
            println!(
                "{:<46} {:.1} s",
                format!("  seeding to {teachers} teachers"),
                t.elapsed().as_secs_f64()
            );
            let (_, p50) = dashboard_run(
                server,
                &cookies[0],
                &format!("dashboard, cohort of {teachers} teachers"),
                duration,
            )
            .await?;
            medians.push(p50);
        }
        println!(
            "{:<46} {:.2} (target: ≤ 1.5)",
            "p50 at 100,000 / p50 at 1,000",
            medians[1] / medians[0].max(f64::EPSILON)
        );
    }
    println!("\nTargets (issue 4): autosave p99 ≤ 20 ms with 64 writers and ≥ 2000 saves/s.");
    println!("Target (issue 13): /healthz answers while the worst allowed inputs are processed.");
    Ok(())
}

/// A new cohort of `teachers` teachers with full histories, in SQL: every indicator rated at
/// baseline and now, every unit done, a submission per competency decided by the demo assessor
/// with a level per indicator (a quarter Not yet, then a second attempt: Competent, or waiting
/// for one in five), a tenth second-marked by another assessor and resolved, a claim in seven
/// that lapsed. Returns the cohort's id.
async fn seed_evaluation(url: &str, teachers: i64) -> Result<i64, Error> {
    use sqlx::Connection as _;
    let mut db = sqlx::SqliteConnection::connect(url).await?;
    let mut tx = db.begin().await?;
    let framework: i64 = sqlx::query_scalar("SELECT framework_id FROM cohorts ORDER BY id LIMIT 1")
        .fetch_one(&mut *tx)
        .await?;
    let staff = |email: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email = $1").bind(email)
    };
    let coordinator = staff("coordinator@demo.test").fetch_one(&mut *tx).await?;
    let assessor = staff("assessor@demo.test").fetch_one(&mut *tx).await?;
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis(),
    )?;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cohorts")
        .fetch_one(&mut *tx)
        .await?;
    let cohort: i64 = sqlx::query_scalar(
        "INSERT INTO cohorts (name, framework_id, starts_on, ends_on, created_by, created_at)          VALUES ($1, $2, '2026-01-01', '2026-12-31', $3, $4) RETURNING id",
    )
    .bind(format!("Bench evaluation {n}"))
    .bind(framework)
    .bind(coordinator)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let second: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, created_at, password_changed_at)          VALUES ($1, 'Bench second marker', 'not a password hash', $2, $2) RETURNING id",
    )
    .bind(format!("second{cohort}@bench.test"))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM users")
        .fetch_one(&mut *tx)
        .await?;
    let day = 86_400_000_i64;
    // Binds: $1 first new user id, $2 teachers, $3 now, $4 cohort, $5 framework, $6 the demo
    // assessor, $7 the second marker, $8 a day in ms.
    let steps = [
        "INSERT INTO memberships (cohort_id, user_id, role, created_at)          SELECT $4, $6, 'assessor', $3 UNION ALL SELECT $4, $7, 'assessor', $3",
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $2)          INSERT INTO users (id, email, name, password_hash, created_at, password_changed_at)          SELECT $1 + i, 'eval' || ($1 + i) || '@bench.test', 'Evaluated teacher ' || ($1 + i),          'not a password hash', $3, $3 FROM n",
        "INSERT INTO memberships (cohort_id, user_id, role, created_at)          SELECT $4, id, 'teacher', $3 - (id % 200) * $8 FROM users WHERE id >= $1",
        "INSERT INTO self_ratings (user_id, indicator_id, phase, level, updated_at)          SELECT u.id, i.id, p.phase, CASE p.phase WHEN 'baseline' THEN 1 + (u.id + i.id) % 3            ELSE 2 + (u.id + i.id) % 3 END, $3 FROM users u          CROSS JOIN (SELECT id FROM indicators WHERE framework_id = $5) i          CROSS JOIN (SELECT 'baseline' AS phase UNION ALL SELECT 'current') p WHERE u.id >= $1",
        "INSERT INTO unit_progress (user_id, unit_id, done_at)          SELECT u.id, x.id, $3 FROM users u CROSS JOIN (SELECT id FROM units WHERE framework_id = $5) x          WHERE u.id >= $1",
        "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, created_at,          updated_at, submitted_at, decided_at)          SELECT u.id, $4, c.id, 1, CASE WHEN (u.id + c.id) % 4 = 0 THEN 'not_yet' ELSE 'competent' END,            $3 - 60 * $8, $3 - 60 * $8, $3 - (30 + (u.id + c.id) % 20) * $8, $3 - (28 - (u.id + c.id) % 5) * $8          FROM users u CROSS JOIN (SELECT id FROM competencies WHERE framework_id = $5) c WHERE u.id >= $1",
        "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, created_at,          updated_at, submitted_at, decided_at)          SELECT s.user_id, $4, s.competency_id, 2, CASE WHEN s.user_id % 5 = 0 THEN 'submitted' ELSE 'competent' END,            $3 - 20 * $8, $3 - 20 * $8, $3 - (10 + s.user_id % 10) * $8,            CASE WHEN s.user_id % 5 = 0 THEN NULL ELSE $3 - (s.user_id % 7) * $8 END          FROM submissions s WHERE s.cohort_id = $4 AND s.attempt = 1 AND s.status = 'not_yet'",
        "INSERT INTO reviews (submission_id, assessor_id, kind, decision, feedback, created_at)          SELECT id, $6, 'first', status, 'Bench feedback.', decided_at FROM submissions          WHERE cohort_id = $4 AND status IN ('competent', 'not_yet')",
        "INSERT INTO reviews (submission_id, assessor_id, kind, decision, feedback, created_at)          SELECT id, $7, 'second', CASE WHEN id % 20 = 0 THEN 'not_yet' ELSE status END,            'Bench second marking.', decided_at FROM submissions          WHERE cohort_id = $4 AND status IN ('competent', 'not_yet') AND id % 10 = 0",
        "INSERT INTO review_ratings (review_id, indicator_id, level)          SELECT r.id, i.id, 1 + (r.id + i.id) % 3 FROM reviews r JOIN submissions s ON s.id = r.submission_id          JOIN indicators i ON i.competency_id = s.competency_id WHERE s.cohort_id = $4",
        "INSERT INTO moderations (submission_id, requested_by, requested_at, second_assessor, resolved_by, resolved_at, resolution)          SELECT s.id, $6, s.decided_at, $7, $6, s.decided_at, 'first' FROM submissions s          WHERE s.cohort_id = $4 AND s.status IN ('competent', 'not_yet') AND s.id % 10 = 0",
        "INSERT INTO claims (submission_id, assessor_id, second, claimed_at, expires_at, ended_at, outcome)          SELECT id, $6, 0, submitted_at, submitted_at + $8, submitted_at + 2 * $8, 'lapsed' FROM submissions          WHERE cohort_id = $4 AND id % 7 = 0",
    ];
    for sql in steps {
        sqlx::query(sql)
            .bind(first)
            .bind(teachers)
            .bind(now)
            .bind(cohort)
            .bind(framework)
            .bind(assessor)
            .bind(second)
            .bind(day)
            .execute(&mut *tx)
            .await
            .map_err(|e| format!("seeding ({e}): {sql}"))?;
    }
    // The demo coordinator (an institution coordinator) coordinates it too.
    sqlx::query(
        "INSERT INTO memberships (cohort_id, user_id, role, created_at) VALUES ($1, $2, 'coordinator', $3)",
    )
    .bind(cohort)
    .bind(coordinator)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(cohort)
}

/// Bulk-adds teachers to the first cohort, in SQL, until it has `teachers` of them; each gets
/// baseline and current ratings on eight indicators, three units done, two journal entries and
/// one submission (a third of them waiting for review). The data a large cohort's dashboard
/// queries must not scan.
async fn seed(url: &str, teachers: i64) -> Result<(), Error> {
    use sqlx::Connection as _;
    let mut db = sqlx::SqliteConnection::connect(url).await?;
    let mut tx = db.begin().await?;
    let (cohort, framework): (i64, i64) =
        sqlx::query_as("SELECT id, framework_id FROM cohorts ORDER BY id LIMIT 1")
            .fetch_one(&mut *tx)
            .await?;
    let have: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE cohort_id = $1 AND role = 'teacher'",
    )
    .bind(cohort)
    .fetch_one(&mut *tx)
    .await?;
    let add = teachers - have;
    if add <= 0 {
        return Ok(());
    }
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM users")
        .fetch_one(&mut *tx)
        .await?;
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis(),
    )?;
    let steps = [
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $2) \
         INSERT INTO users (id, email, name, password_hash, created_at, password_changed_at) \
         SELECT $1 + i, 'bench' || ($1 + i) || '@bench.test', 'Bench teacher ' || ($1 + i), \
         'not a password hash', $3, $3 FROM n",
        "INSERT INTO memberships (cohort_id, user_id, role, created_at) \
         SELECT $4, id, 'teacher', $3 FROM users WHERE id >= $1",
        "INSERT INTO self_ratings (user_id, indicator_id, phase, level, updated_at) \
         SELECT u.id, i.id, p.phase, 1 + (u.id + i.id) % 4, $3 FROM users u \
         CROSS JOIN (SELECT id FROM indicators WHERE framework_id = $5 ORDER BY id LIMIT 8) i \
         CROSS JOIN (SELECT 'baseline' AS phase UNION ALL SELECT 'current') p WHERE u.id >= $1",
        "INSERT INTO unit_progress (user_id, unit_id, done_at) \
         SELECT u.id, x.id, $3 FROM users u \
         CROSS JOIN (SELECT id FROM units WHERE framework_id = $5 ORDER BY id LIMIT 3) x \
         WHERE u.id >= $1",
        "INSERT INTO journal_entries (user_id, title, body, version, created_at, updated_at) \
         SELECT u.id, 'Entry ' || k.k, 'A reflection of a few words.', 1, $3, $3 FROM users u \
         CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2) k WHERE u.id >= $1",
        "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, created_at, \
         updated_at, submitted_at) \
         SELECT u.id, $4, c.id, 1, CASE u.id % 3 WHEN 0 THEN 'submitted' ELSE 'draft' END, $3, $3, \
         CASE u.id % 3 WHEN 0 THEN $3 END FROM users u \
         CROSS JOIN (SELECT id FROM competencies WHERE framework_id = $5 ORDER BY id LIMIT 1) c \
         WHERE u.id >= $1",
    ];
    for sql in steps {
        sqlx::query(sql)
            .bind(first)
            .bind(add)
            .bind(now)
            .bind(cohort)
            .bind(framework)
            .execute(&mut *tx)
            .await
            .map_err(|e| format!("seeding ({e}): {sql}"))?;
    }
    // No ANALYZE: the server never runs one, and statistics gathered while some tables are
    // still empty make SQLite's planner take them for large ones (it then scanned every
    // submission for the header's counts).
    tx.commit().await?;
    Ok(())
}
