//! A small client for S3-compatible object stores (AWS S3, MinIO, Ceph RGW,
//! SeaweedFS, Garage, moto): path-style URLs, AWS Signature Version 4 signed
//! with ring. Only what the hub needs: put (a blob streamed from its file),
//! get and head of an object, and creating the bucket on first start.

use ring::digest::{SHA256, digest};
use ring::hmac;

use hoso_sync::hex;

/// One bucket of an S3-compatible store.
#[derive(Debug, Clone)]
pub struct S3 {
    /// `http(s)://host[:port]`, no trailing slash.
    endpoint: String,
    bucket: String,
    credentials: Credentials,
    http: reqwest::Client,
}

/// What requests are signed with.
#[derive(Clone)]
pub struct Credentials {
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .finish()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest(&SHA256, bytes).as_ref())
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data.as_bytes()).as_ref().to_vec()
}

/// URI-encodes a path as SigV4 wants it: every byte but unreserved ones and `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `Authorization` header of a request without query string (AWS
/// Signature Version 4). `headers` are lower-case names with trimmed values
/// and must include `host`, `x-amz-content-sha256` and `x-amz-date`;
/// `amz_date` is `YYYYMMDDTHHMMSSZ`.
pub fn authorization(
    credentials: &Credentials,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    payload_sha256: &str,
    amz_date: &str,
) -> String {
    let Credentials { region, access_key, secret_key } = credentials;
    let mut headers = headers.to_vec();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = headers.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(";");
    let canonical =
        format!("{method}\n{}\n\n{canonical_headers}\n{signed_headers}\n{payload_sha256}", encode_path(path));
    let date = &amz_date[..8];
    let scope = format!("{date}/{region}/s3/aws4_request");
    let to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", sha256_hex(canonical.as_bytes()));
    let mut key = hmac(format!("AWS4{secret_key}").as_bytes(), date);
    for part in [region.as_str(), "s3", "aws4_request"] {
        key = hmac(&key, part);
    }
    let signature = hex(&hmac(&key, &to_sign));
    format!(
        "AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

impl S3 {
    /// `url` names the bucket: `http://host:port/bucket` (path style).
    /// Credentials come from the standard `AWS_ACCESS_KEY_ID` /
    /// `AWS_SECRET_ACCESS_KEY`.
    pub fn from_env(url: &str, region: &str) -> anyhow::Result<S3> {
        let var = |name: &str| {
            std::env::var(name).map_err(|_| anyhow::anyhow!("{name} is not set (the S3 store's credentials)"))
        };
        S3::new(url, region, &var("AWS_ACCESS_KEY_ID")?, &var("AWS_SECRET_ACCESS_KEY")?)
    }

    /// `url` names the bucket: `http://host:port/bucket` (path style).
    pub fn new(url: &str, region: &str, access_key: &str, secret_key: &str) -> anyhow::Result<S3> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| anyhow::anyhow!("S3 URL must look like http(s)://host:port/bucket"))?;
        let (host, bucket) = rest
            .trim_end_matches('/')
            .split_once('/')
            .ok_or_else(|| anyhow::anyhow!("S3 URL has no bucket: http(s)://host:port/bucket"))?;
        anyhow::ensure!(
            !bucket.is_empty() && !bucket.contains('/'),
            "S3 bucket name must be one path segment"
        );
        hoso_sync::install_tls_provider();
        Ok(S3 {
            endpoint: format!("{scheme}://{host}"),
            bucket: bucket.to_owned(),
            credentials: Credentials {
                region: region.to_owned(),
                access_key: access_key.to_owned(),
                secret_key: secret_key.to_owned(),
            },
            http: reqwest::Client::builder().timeout(std::time::Duration::from_secs(300)).build()?,
        })
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
    ) -> anyhow::Result<reqwest::Response> {
        let payload = sha256_hex(&body);
        let length = body.len() as u64;
        self.send_body(method, path, body.into(), &payload, length).await
    }

    /// Sends `body` of `length` bytes whose SHA-256 is `payload` (signed as
    /// the payload's hash, so the body may stream).
    async fn send_body(
        &self,
        method: reqwest::Method,
        path: &str,
        body: reqwest::Body,
        payload: &str,
        length: u64,
    ) -> anyhow::Result<reqwest::Response> {
        let host = self.endpoint.split_once("://").map_or("", |(_, h)| h).to_owned();
        let amz_date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let auth = authorization(
            &self.credentials,
            method.as_str(),
            path,
            &[("host", &host), ("x-amz-content-sha256", payload), ("x-amz-date", &amz_date)],
            payload,
            &amz_date,
        );
        let mut request = self
            .http
            .request(method.clone(), format!("{}{}", self.endpoint, encode_path(path)))
            .header("x-amz-content-sha256", payload)
            .header("x-amz-date", amz_date)
            .header("authorization", auth);
        if method == reqwest::Method::PUT {
            // S3 takes no chunked body: the length is said up front.
            request = request.header("content-length", length);
        }
        Ok(request.body(body).send().await?)
    }

    fn key_path(&self, key: &str) -> String {
        format!("/{}/{key}", self.bucket)
    }

    /// Creates the bucket when it does not exist yet.
    pub async fn ensure_bucket(&self) -> anyhow::Result<()> {
        let path = format!("/{}", self.bucket);
        let resp = self.send(reqwest::Method::HEAD, &path, Vec::new()).await?;
        if resp.status().is_success() {
            return Ok(());
        }
        let resp = self.send(reqwest::Method::PUT, &path, Vec::new()).await?;
        let status = resp.status();
        // 409 BucketAlreadyOwnedByYou: another replica made it meanwhile.
        anyhow::ensure!(
            status.is_success() || status.as_u16() == 409,
            "S3: cannot create bucket {}: {status} {}",
            self.bucket,
            resp.text().await.unwrap_or_default()
        );
        Ok(())
    }

    /// Stores the file at `path` as an object (overwriting: blobs are named by
    /// their content), streamed from the disk (a blob up to the hub's cap
    /// never sits in memory); `sha256` is the file's hash,
    /// which the hub checked, and signs the request as its payload's.
    pub async fn put_file(&self, key: &str, path: &std::path::Path, sha256: &str) -> anyhow::Result<()> {
        let file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        let resp =
            self.send_body(reqwest::Method::PUT, &self.key_path(key), file.into(), sha256, length).await?;
        let status = resp.status();
        anyhow::ensure!(
            status.is_success(),
            "S3 PUT {key}: {status} {}",
            resp.text().await.unwrap_or_default()
        );
        Ok(())
    }

    /// An object's bytes, or `None` when it does not exist.
    pub async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let resp = self.send(reqwest::Method::GET, &self.key_path(key), Vec::new()).await?;
        match resp.status().as_u16() {
            200 => Ok(Some(resp.bytes().await?.to_vec())),
            404 => Ok(None),
            s => anyhow::bail!("S3 GET {key}: {s} {}", resp.text().await.unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of AWS's "Signature Calculations for the
    /// Authorization Header" (GET Object with a Range header).
    #[test]
    fn aws_documentation_example() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let credentials = Credentials {
            region: "us-east-1".into(),
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        };
        let auth = authorization(
            &credentials,
            "GET",
            "/test.txt",
            &[
                ("host", "examplebucket.s3.amazonaws.com"),
                ("range", "bytes=0-9"),
                ("x-amz-content-sha256", empty),
                ("x-amz-date", "20130524T000000Z"),
            ],
            empty,
            "20130524T000000Z",
        );
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }
}
