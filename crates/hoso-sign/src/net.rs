//! The HTTP client for the signing services HoSo asks: time-stamp
//! authorities, CRL distribution points, OCSP responders.

use std::time::Duration;

/// A blocking client with `timeout` for the whole request.
pub(crate) fn client(timeout: Duration) -> reqwest::Result<reqwest::blocking::Client> {
    // reqwest's rustls has no crypto provider of its own: ring, as everywhere.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder().timeout(timeout).build()
}
