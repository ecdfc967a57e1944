//! Why a fetch was refused or failed: one variant per reason, each with the link, so a front
//! end can tell the user what happened and what (if anything) they can do.

use super::policy::Refused;

/// A link as logs show it: without its query string or user name (private feeds often carry
/// a token there).
pub fn for_log(link: &str) -> String {
    match url::Url::parse(link) {
        Ok(mut u) => {
            let hidden = u.query().is_some();
            u.set_query(None);
            u.set_fragment(None);
            let _ = u.set_username("");
            let _ = u.set_password(None);
            if hidden {
                format!("{u}?…")
            } else {
                u.to_string()
            }
        }
        Err(_) => "(not a link)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn logs_never_show_a_link_s_query_or_credentials() {
        assert_eq!(
            super::for_log("https://u:pw@n.example/feed?token=s3cret#x"),
            "https://n.example/feed?…"
        );
        assert_eq!(super::for_log("https://n.example/a"), "https://n.example/a");
        assert_eq!(super::for_log("not a link s3cret"), "(not a link)");
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url:?} is not a link Dossier can fetch: {reason}")]
    BadUrl { url: String, reason: String },
    /// A private, loopback, link-local or metadata address, in the URL or behind its name.
    #[error("{url} was not fetched: {refused}")]
    Blocked { url: String, refused: Refused },
    #[error("{url} was not fetched: the site's robots.txt does not allow it")]
    Robots { url: String },
    #[error("{url} redirects more than {limit} times")]
    TooManyRedirects { url: String, limit: usize },
    #[error("{url} did not answer within {secs} s")]
    TimedOut { url: String, secs: u64 },
    #[error("{url} is larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: usize },
    /// Not an HTML or text page (a PDF, an image…), by its Content-Type.
    #[error("{url} is not an HTML or text page (it is {content_type})")]
    NotPage { url: String, content_type: String },
    #[error("{url} answered with HTTP status {status}")]
    Status { url: String, status: u16 },
    /// No connection: the name does not resolve, the host refuses, the TLS handshake fails.
    #[error("{url} cannot be reached: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{url} is not an RSS or Atom feed: {reason}")]
    NotFeed { url: String, reason: String },
}

impl FetchError {
    /// The link the error is about.
    pub fn url(&self) -> &str {
        match self {
            FetchError::BadUrl { url, .. }
            | FetchError::Blocked { url, .. }
            | FetchError::Robots { url }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::TimedOut { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::NotPage { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::Unreachable { url, .. }
            | FetchError::NotFeed { url, .. } => url,
        }
    }

    /// The reason, as a word for logs (which show links only through [`for_log`]).
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::BadUrl { .. } => "bad_url",
            FetchError::Blocked { .. } => "blocked_address",
            FetchError::Robots { .. } => "robots_txt",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::TimedOut { .. } => "timed_out",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::NotPage { .. } => "not_a_page",
            FetchError::Status { .. } => "http_status",
            FetchError::Unreachable { .. } => "unreachable",
            FetchError::NotFeed { .. } => "not_a_feed",
        }
    }

    /// The error a failed request becomes: a policy refusal from the resolver, a timeout, or
    /// the innermost cause.
    pub(super) fn from_request(url: &str, err: &reqwest::Error, secs: u64) -> FetchError {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
        let mut innermost = err.to_string();
        while let Some(e) = source {
            if let Some(refused) = e.downcast_ref::<Refused>() {
                return FetchError::Blocked {
                    url: url.to_string(),
                    refused: refused.clone(),
                };
            }
            innermost = e.to_string();
            source = e.source();
        }
        if err.is_timeout() {
            return FetchError::TimedOut {
                url: url.to_string(),
                secs,
            };
        }
        FetchError::Unreachable {
            url: url.to_string(),
            reason: innermost,
        }
    }
}
