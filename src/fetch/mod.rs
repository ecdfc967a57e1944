//! Fetching web pages and feeds for the corpus, politely and safely.
//!
//! A user in a Discord channel chooses the link, so the fetcher is built for hostile input:
//! only http(s); no connection to loopback, private, link-local or metadata addresses, checked
//! after name resolution ([`resolve`]) and on every redirect hop ([`target`]); redirects
//! followed by hand, a few at most; timeouts; a size limit enforced while the body streams
//! in; only HTML or text for pages. And polite to the sites it reads: it says who it is
//! (User-Agent), obeys `robots.txt` ([`robots`]) and asks each host at most once every few
//! seconds ([`pace`]). Conditional requests (ETag / Last-Modified) let a feed poll cost a
//! `304 Not Modified`.

mod config;
mod error;
mod pace;
pub mod policy;
mod resolve;
mod robots;
pub mod target;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::StatusCode;
use url::Url;

pub use self::config::FetchConfig;
pub use self::error::{for_log, FetchError};
pub use self::robots::ROBOT_NAME;

/// The User-Agent every request carries: who is asking, and the name robots.txt rules use.
pub const USER_AGENT: &str = concat!(
    "DossierBot/",
    env!("CARGO_PKG_VERSION"),
    " (team document search; fetches links its users share; obeys robots.txt)"
);

/// What is being fetched, which decides the content types accepted and the size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An article: HTML or plain text.
    Page,
    /// An RSS or Atom feed: XML, JSON, or text.
    Feed,
    /// A site's robots.txt.
    Robots,
}

/// What a server said about a response's version, sent back to ask "changed since?".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A response body that passed every check.
#[derive(Clone)]
pub struct Fetched {
    /// Where the body came from, after redirects.
    pub url: Url,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub validators: Validators,
    pub at: DateTime<Utc>,
}

impl std::fmt::Debug for Fetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetched")
            .field("url", &self.url.as_str())
            .field("content_type", &self.content_type)
            .field("bytes", &self.body.len())
            .field("validators", &self.validators)
            .field("at", &self.at)
            .finish()
    }
}

/// The answer to a request that may be conditional.
#[derive(Debug, Clone)]
pub enum Outcome {
    Fetched(Fetched),
    /// The server's copy has not changed since the validators sent (HTTP 304).
    NotModified,
}

pub struct Fetcher {
    config: FetchConfig,
    client: reqwest::Client,
    pace: pace::Pace,
    robots: robots::RobotsCache,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> anyhow::Result<Fetcher> {
        if config.allow_loopback {
            tracing::warn!("DOSSIER_FETCH_ALLOW_LOOPBACK is on: links to this machine are fetched (for tests only)");
        }
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            // Redirects are followed by hand, so each hop is checked.
            .redirect(reqwest::redirect::Policy::none())
            // A proxy from the environment would connect for us, around the address check.
            .no_proxy()
            .dns_resolver(Arc::new(resolve::PolicyResolver {
                allow_loopback: config.allow_loopback,
            }))
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .build()?;
        Ok(Fetcher {
            config,
            client,
            pace: pace::Pace::default(),
            robots: robots::RobotsCache::default(),
        })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Fetches an article page.
    pub async fn page(&self, link: &str) -> Result<Fetched, FetchError> {
        match self.fetch(link, Kind::Page, None).await? {
            Outcome::Fetched(f) => Ok(f),
            // Only a conditional request gets a 304; a server that sends one anyway did not
            // send the page.
            Outcome::NotModified => Err(FetchError::Status {
                url: link.to_string(),
                status: 304,
            }),
        }
    }

    /// Fetches `link`; with `validators`, a conditional request.
    pub async fn fetch(&self, link: &str, kind: Kind, validators: Option<&Validators>) -> Result<Outcome, FetchError> {
        let url = target::check(link, self.config.allow_loopback)?;
        self.get(url, kind, validators).await
    }

    async fn get(&self, mut url: Url, kind: Kind, validators: Option<&Validators>) -> Result<Outcome, FetchError> {
        for hop in 0..=self.config.max_redirects {
            let mut interval = self.config.host_interval;
            if kind != Kind::Robots {
                let rules = self.robots_of(&url).await?;
                if !rules.allows(url.as_str()) {
                    return Err(FetchError::Robots { url: url.to_string() });
                }
                interval = interval.max(rules.delay().unwrap_or_default());
            }
            // Per host, whatever the scheme or port: one server, one queue.
            self.pace.wait(url.host_str().unwrap_or_default(), interval).await;
            let response = self
                .client
                .get(url.clone())
                .headers(conditional(validators))
                .send()
                .await
                .map_err(|e| self.request_error(&url, &e))?;
            let status = response.status();
            if status.is_redirection() {
                if let Some(location) = response.headers().get(header::LOCATION) {
                    if hop == self.config.max_redirects {
                        break;
                    }
                    let location = location.to_str().unwrap_or_default();
                    url = target::next_hop(&url, location, self.config.allow_loopback)?;
                    continue;
                }
            }
            if status == StatusCode::NOT_MODIFIED && validators.is_some() {
                return Ok(Outcome::NotModified);
            }
            if !status.is_success() {
                return Err(FetchError::Status {
                    url: url.to_string(),
                    status: status.as_u16(),
                });
            }
            return self.body(url, kind, response).await.map(Outcome::Fetched);
        }
        Err(FetchError::TooManyRedirects {
            url: url.to_string(),
            limit: self.config.max_redirects,
        })
    }

    /// Reads a successful response's body, within the size limit and content types of `kind`.
    async fn body(&self, url: Url, kind: Kind, mut response: reqwest::Response) -> Result<Fetched, FetchError> {
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let Some(ct) = &content_type {
            if !accepts(kind, ct) {
                return Err(FetchError::NotPage {
                    url: url.to_string(),
                    content_type: ct.clone(),
                });
            }
        }
        let limit = match kind {
            Kind::Robots => robots::MAX_ROBOTS_BYTES,
            Kind::Page | Kind::Feed => self.config.max_bytes,
        };
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit,
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header_text(header::ETAG),
            last_modified: header_text(header::LAST_MODIFIED),
        };
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.request_error(&url, &e))? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            url,
            content_type,
            body,
            validators,
            at: Utc::now(),
        })
    }

    /// The robots.txt rules of `url`'s site, read through the same checks as any request.
    async fn robots_of(&self, url: &Url) -> Result<Arc<robots::Rules>, FetchError> {
        let site = origin(url);
        if let Some(rules) = self.robots.get(&site) {
            return Ok(rules);
        }
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        let rules = match Box::pin(self.get(robots_url, Kind::Robots, None)).await {
            Ok(Outcome::Fetched(f)) => robots::Rules::parse(&f.body),
            Ok(Outcome::NotModified) => robots::Rules::AllowAll,
            Err(FetchError::Status { status, .. }) => robots::Rules::for_status(status),
            Err(FetchError::TooLarge { .. } | FetchError::TooManyRedirects { .. } | FetchError::BadUrl { .. }) => {
                robots::Rules::AllowAll
            }
            // A refused address, a timeout, no connection: the page would fail the same way.
            Err(e) => return Err(e),
        };
        Ok(self.robots.put(&site, rules))
    }

    fn request_error(&self, url: &Url, e: &reqwest::Error) -> FetchError {
        FetchError::from_request(url.as_str(), e, self.config.timeout.as_secs())
    }
}

/// `scheme://host:port`: what robots.txt rules apply to.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

fn conditional(validators: Option<&Validators>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let Some(v) = validators else {
        return headers;
    };
    if let Some(etag) = v.etag.as_deref().and_then(|e| HeaderValue::from_str(e).ok()) {
        headers.insert(header::IF_NONE_MATCH, etag);
    }
    if let Some(lm) = v.last_modified.as_deref().and_then(|l| HeaderValue::from_str(l).ok()) {
        headers.insert(header::IF_MODIFIED_SINCE, lm);
    }
    headers
}

/// Whether a body of `content_type` is what `kind` expects.
fn accepts(kind: Kind, content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match kind {
        Kind::Robots => true,
        Kind::Page => matches!(
            essence.as_str(),
            "text/html" | "application/xhtml+xml" | "text/plain" | ""
        ),
        Kind::Feed => {
            essence.starts_with("text/") || essence.ends_with("xml") || essence.ends_with("json") || essence.is_empty()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_html_or_text_and_feeds_are_xml_json_or_text() {
        for ct in [
            "text/html; charset=utf-8",
            "TEXT/HTML",
            "application/xhtml+xml",
            "text/plain",
        ] {
            assert!(accepts(Kind::Page, ct), "{ct}");
        }
        for ct in [
            "application/pdf",
            "image/png",
            "application/octet-stream",
            "application/rss+xml",
        ] {
            assert!(!accepts(Kind::Page, ct), "{ct}");
        }
        for ct in [
            "application/rss+xml",
            "application/atom+xml; charset=utf-8",
            "text/xml",
            "application/feed+json",
        ] {
            assert!(accepts(Kind::Feed, ct), "{ct}");
        }
        assert!(!accepts(Kind::Feed, "image/jpeg"));
    }
}
