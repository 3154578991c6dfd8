//! The desktop's command layer over loopback HTTP, with the built front end,
//! so the UI can be tested in a real browser (Chromium) against the real
//! hoso-core: `POST /api/call {command, args}` is exactly what the Tauri
//! window's `invoke("call", …)` does. Binds 127.0.0.1 only; the desktop app
//! never starts it.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::Desktop;

#[derive(Debug)]
struct Bridge {
    desktop: Desktop,
    dist: PathBuf,
}

#[derive(Deserialize)]
struct Call {
    command: String,
    #[serde(default)]
    args: serde_json::Value,
}

async fn call(State(b): State<Arc<Bridge>>, Json(c): Json<Call>) -> Response {
    let args = if c.args.is_null() { serde_json::json!({}) } else { c.args };
    let result = tokio::task::spawn_blocking(move || b.desktop.call(&c.command, args)).await;
    match result {
        Ok(Ok(v)) => Json(v).into_response(),
        // The same `{code, message}` the Tauri window receives.
        Ok(Err(e)) => (StatusCode::UNPROCESSABLE_ENTITY, Json(e)).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({ "code": "failed", "message": { "vi": e.to_string(), "en": e.to_string() } })),
        )
            .into_response(),
    }
}

async fn file(State(b): State<Arc<Bridge>>, path: Option<UrlPath<String>>) -> Response {
    let rel = path.map_or_else(|| "index.html".to_owned(), |UrlPath(p)| p);
    if rel.split('/').any(|s| s == ".." || s.is_empty()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mime = match rel.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    match std::fs::read(b.dist.join(&rel)) {
        Ok(bytes) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Serves `desktop` and the front end in `dist` on a free loopback port from a
/// background thread; returns the base URL.
pub fn serve(desktop: Desktop, dist: PathBuf) -> std::io::Result<String> {
    let state = Arc::new(Bridge { desktop, dist });
    let router = axum::Router::new()
        // Picked files come whole in the call (a scan of several MB).
        .route("/api/call", post(call).layer(axum::extract::DefaultBodyLimit::max(640 << 20)))
        .route("/", get(file))
        .route("/{*path}", get(file))
        .with_state(state);
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Runtime::new()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            match tokio::net::TcpListener::from_std(listener) {
                Ok(l) => {
                    if let Err(e) = axum::serve(l, router).await {
                        log::error!("bridge stopped: {e}");
                    }
                }
                Err(e) => log::error!("bridge cannot listen: {e}"),
            }
        })
    });
    Ok(url)
}
