//! The hub's API under a fuzzer: schemathesis (PyPI, installed by
//! scripts/setup into target/tools/schemathesis) generates requests from
//! docs/sync-openapi.yaml, valid and not, and checks every answer against it:
//! no 5xx, only documented status codes, bodies and content types as
//! documented. schemathesis cannot sign requests over their exact bytes, so
//! it speaks to a signing proxy of this test, which adds a correct signature
//! of an enrolled device to whatever it generated and forwards it to the real
//! `hoso-hub` binary. The answers to what a fuzzer does not think of — a
//! malformed signature, a clock beyond the window, a replay — are asked for
//! here by hand, each against its documented answer (an oversized body: in
//! limits.rs).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use hoso_sync::SigningKey;

/// The X-HoSo-Signature value schemathesis is told to send: "sign this".
const SIGN_ME: &str = "sign-me";

struct Proxy {
    hub: String,
    host: String,
    key: SigningKey,
    http: reqwest::Client,
}

/// Signs the request as device `fuzzer` (over the bytes as they came) and
/// hands it to the hub; the hub's answer goes back as it is.
async fn sign_and_forward(
    State(p): State<Arc<Proxy>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Only a request carrying the marker the test gave schemathesis is signed;
    // one it sent without it, or with a signature of its own making (testing
    // that the hub refuses those), goes as it came.
    if headers.get(hoso_sync::HEADER_SIGNATURE).is_none_or(|v| v != SIGN_ME) {
        return forward(&p, method, &uri, &headers, body, &[]).await;
    }
    let number =
        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let time = chrono::Utc::now().timestamp();
    let nonce = hoso_sync::nonce();
    let body_sha256 = hoso_sync::body_sha256(&body);
    let signed = hoso_sync::Signed {
        method: method.as_str(),
        host: &p.host,
        path: uri.path(),
        time,
        nonce: &nonce,
        body_sha256: &body_sha256,
        upload_offset: number(hoso_sync::HEADER_OFFSET),
        upload_length: number(hoso_sync::HEADER_LENGTH),
    };
    let auth = [
        (hoso_sync::HEADER_DEVICE, "fuzzer".to_owned()),
        (hoso_sync::HEADER_TIME, time.to_string()),
        (hoso_sync::HEADER_NONCE, nonce.clone()),
        (hoso_sync::HEADER_BODY_SHA256, body_sha256.clone()),
        (hoso_sync::HEADER_SIGNATURE, p.key.sign_hex(&signed.message())),
    ];
    forward(&p, method, &uri, &headers, body, &auth).await
}

/// Sends the request to the hub with the `auth` headers in place of any
/// X-HoSo-* header it had; the hub's answer as it is.
async fn forward(
    p: &Proxy,
    method: Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
    auth: &[(&str, String)],
) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut request = p.http.request(method, format!("{}{path}", p.hub));
    for (name, value) in headers {
        if name != "host" && (auth.is_empty() || !name.as_str().starts_with("x-hoso-")) {
            request = request.header(name, value);
        }
    }
    for (name, value) in auth {
        request = request.header(*name, value);
    }
    match request.body(body).send().await {
        Ok(answer) => {
            let status = answer.status();
            let headers = answer.headers().clone();
            let body = answer.bytes().await.unwrap_or_default();
            let mut response = (status, body).into_response();
            for (name, value) in &headers {
                if name != "content-length" && name != "transfer-encoding" {
                    response.headers_mut().insert(name, value.clone());
                }
            }
            response
        }
        // The hub did not answer at all: schemathesis sees a 502 and says so.
        Err(e) => (axum::http::StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    }
}

fn schemathesis() -> PathBuf {
    std::env::var_os("HOSO_SCHEMATHESIS").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tools/schemathesis/bin/schemathesis")
    })
}

#[test]
fn every_answer_matches_the_published_protocol() {
    hoso_sync::install_tls_provider();
    let tmp = tempfile::tempdir().unwrap();
    let hub_dir = tmp.path().join("hub");
    let hub = common::start_hub(&hub_dir, &[], &[], &[]);
    let key = common::enrolled_key(&hub_dir, "fuzzer");

    let rt = tokio::runtime::Runtime::new().unwrap();
    let proxy = Arc::new(Proxy {
        host: hub.url.trim_start_matches("http://").to_owned(),
        hub: hub.url.clone(),
        key,
        http: reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap(),
    });
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let proxy_url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(sign_and_forward).with_state(proxy);
    rt.spawn(async move { axum::serve(listener, app).await });

    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/sync-openapi.yaml");
    let exe = schemathesis();
    let out = std::process::Command::new(&exe)
        .arg("--config-file")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis.toml"))
        .arg("run")
        .arg(&spec)
        .args(["--url", &proxy_url, "--checks", "all", "--max-examples", "40", "--seed", "1306"])
        .args(["--workers", "1", "--no-color", "--generation-database", "none"])
        .args(["--header", &format!("X-HoSo-Signature: {SIGN_ME}")])
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .current_dir(tmp.path())
        .output()
        .unwrap_or_else(|e| panic!("{}: {e} (scripts/setup installs schemathesis)", exe.display()));
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "schemathesis found answers off the protocol:\n{said}");
    // It did ask: each of the protocol's five operations was tested.
    assert!(said.contains("Tested: 5"), "not every operation was exercised:\n{said}");
    drop(hub);
}

#[test]
fn signatures_that_are_malformed_stale_or_replayed_get_their_documented_answer() {
    hoso_sync::install_tls_provider();
    let tmp = tempfile::tempdir().unwrap();
    let hub_dir = tmp.path().join("hub");
    let hub = common::start_hub(&hub_dir, &[], &[], &[]);
    let key = common::enrolled_key(&hub_dir, "d1");
    let host = hub.url.trim_start_matches("http://").to_owned();
    let http = reqwest::blocking::Client::new();
    let empty = hoso_sync::body_sha256(b"");
    // GET /v1/anchor: 401 with the protocol's error body, whose message says why.
    let ask = |headers: &[(&'static str, String)]| {
        let mut request = http.get(format!("{}/v1/anchor", hub.url));
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let answer = request.send().unwrap();
        let status = answer.status().as_u16();
        let body: serde_json::Value =
            serde_json::from_slice(&answer.bytes().unwrap_or_default()).unwrap_or_default();
        (status, body["code"].as_str().unwrap_or_default().to_owned(), body["message"].to_string())
    };
    let honest = || common::auth_headers(&key, "d1", "GET", &host, "/v1/anchor", &empty, None);
    let with = |name: &str, value: String| {
        honest()
            .into_iter()
            .map(|(n, v)| if n == name { (n, value.clone()) } else { (n, v) })
            .collect::<Vec<_>>()
    };
    assert_eq!(ask(&honest()).0, 404, "the honest request: nothing accepted yet");

    for (what, headers) in [
        ("not hex", with(hoso_sync::HEADER_SIGNATURE, "zz".repeat(64))),
        ("too short", with(hoso_sync::HEADER_SIGNATURE, "ab".repeat(10))),
        ("empty", with(hoso_sync::HEADER_SIGNATURE, String::new())),
        ("no time", with(hoso_sync::HEADER_TIME, "yesterday".into())),
    ] {
        let (status, code, message) = ask(&headers);
        assert_eq!((status, code.as_str()), (401, "unauthorised"), "{what}: {message}");
    }
    // A clock ten minutes off, signed correctly for that time.
    let stale = chrono::Utc::now().timestamp() - 600;
    let nonce = hoso_sync::nonce();
    let signed = hoso_sync::Signed {
        method: "GET",
        host: &host,
        path: "/v1/anchor",
        time: stale,
        nonce: &nonce,
        body_sha256: &empty,
        upload_offset: None,
        upload_length: None,
    };
    let (status, code, message) = ask(&[
        (hoso_sync::HEADER_DEVICE, "d1".into()),
        (hoso_sync::HEADER_TIME, stale.to_string()),
        (hoso_sync::HEADER_NONCE, nonce.clone()),
        (hoso_sync::HEADER_BODY_SHA256, empty.clone()),
        (hoso_sync::HEADER_SIGNATURE, key.sign_hex(&signed.message())),
    ]);
    assert_eq!((status, code.as_str()), (401, "unauthorised"));
    assert!(message.contains("clock skew"), "{message}");
    // The same honest request twice: the second is a replay.
    let once = honest();
    assert_eq!(ask(&once).0, 404);
    let (status, _, message) = ask(&once);
    assert_eq!(status, 401);
    assert!(message.contains("replay"), "{message}");
    // (An oversized manifest is asked for in limits.rs, over a raw socket: the
    // hub answers 413 before the body, and a client still writing it may see
    // the connection closed before it reads the answer.)
}
