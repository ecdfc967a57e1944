//! Which URLs the fetcher may request: the link a user gave and every redirect hop.
//!
//! Only http and https, no credentials in the URL, a host; a host written as an address is
//! checked against the [address policy](super::policy) here, because no name resolution
//! (where names are checked) happens for it.

use url::{Host, Url};

use super::policy;
use super::FetchError;

/// Parses and checks a link a user gave.
pub fn check(raw: &str, allow_loopback: bool) -> Result<Url, FetchError> {
    let trimmed = raw.trim().trim_start_matches('<').trim_end_matches('>');
    let url = Url::parse(trimmed).map_err(|e| bad(raw, &e.to_string()))?;
    checked(url, allow_loopback)
}

/// The next URL of a redirect from `from` to `location` (absolute or relative), checked as a
/// link is.
pub fn next_hop(from: &Url, location: &str, allow_loopback: bool) -> Result<Url, FetchError> {
    let url = from.join(location.trim()).map_err(|e| bad(location, &e.to_string()))?;
    checked(url, allow_loopback)
}

fn checked(mut url: Url, allow_loopback: bool) -> Result<Url, FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(url.as_str(), "only http and https links can be fetched"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(url.as_str(), "links with a user name or password are not fetched"));
    }
    let ip = match url.host() {
        None => return Err(bad(url.as_str(), "it has no host")),
        Some(Host::Ipv4(ip)) => Some(ip.into()),
        Some(Host::Ipv6(ip)) => Some(ip.into()),
        Some(Host::Domain(_)) => None,
    };
    if let Some(ip) = ip {
        policy::check(ip, allow_loopback).map_err(|refused| FetchError::Blocked {
            url: url.to_string(),
            refused,
        })?;
    }
    url.set_fragment(None);
    Ok(url)
}

/// The form two links to one page share: no fragment, and the rest as the URL parser
/// normalises it (lowercase scheme and host, default port dropped).
pub fn canonical(raw: &str) -> Option<String> {
    let mut url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url.to_string())
}

fn bad(url: &str, reason: &str) -> FetchError {
    FetchError::BadUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(from: &str, location: &str) -> FetchError {
        let from = check(from, false).unwrap();
        next_hop(&from, location, false).unwrap_err()
    }

    #[test]
    fn redirect_hops_to_internal_addresses_are_refused_in_any_spelling() {
        // None of these connects: the check is on the URL alone.
        for (location, range) in [
            ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
            ("//169.254.169.254/", "cloud metadata"),
            ("http://[fd00:ec2::254]/", "cloud metadata"),
            ("http://10.0.0.1:8080/admin", "private (RFC 1918)"),
            ("http://127.0.0.1/", "loopback"),
            ("http://0x7f000001/", "loopback"),
            ("http://2130706433/", "loopback"),
            ("http://0177.0.0.1/", "loopback"),
            ("http://[::1]/", "loopback"),
            ("http://[::ffff:127.0.0.1]/", "IPv4-mapped IPv6"),
            ("http://0.0.0.0/", "unspecified (this network)"),
            ("https://[fe80::1]/", "link-local"),
            ("http://100.64.1.1/", "carrier-grade NAT (RFC 6598)"),
        ] {
            match refusal("https://news.example/a", location) {
                FetchError::Blocked { refused, .. } => assert_eq!(refused.range, range, "{location}"),
                other => panic!("{location}: {other:?}"),
            }
        }
    }

    #[test]
    fn other_schemes_and_credentials_are_bad_urls() {
        for location in [
            "file:///etc/passwd",
            "ftp://files.example/x",
            "gopher://x.example/",
            "http://user:pw@news.example/",
        ] {
            assert!(
                matches!(refusal("https://news.example/a", location), FetchError::BadUrl { .. }),
                "{location}"
            );
        }
        for link in ["not a link", "news.example/a", "javascript:alert(1)", "http://"] {
            assert!(matches!(check(link, false), Err(FetchError::BadUrl { .. })), "{link}");
        }
    }

    #[test]
    fn relative_hops_resolve_against_the_current_url() {
        let from = check("https://news.example/a/b?x=1#top", false).unwrap();
        assert_eq!(from.as_str(), "https://news.example/a/b?x=1");
        let next = next_hop(&from, "../c#frag", false).unwrap();
        assert_eq!(next.as_str(), "https://news.example/c");
        assert!(check("<https://news.example/a>", false).is_ok());
    }

    #[test]
    fn loopback_literals_pass_only_with_the_test_setting() {
        assert!(check("http://127.0.0.1:8080/a", true).is_ok());
        assert!(check("http://[::1]:8080/a", true).is_ok());
        assert!(matches!(
            check("http://10.0.0.1/", true),
            Err(FetchError::Blocked { .. })
        ));
    }

    #[test]
    fn canonical_forms_match() {
        assert_eq!(
            canonical("HTTPS://News.Example:443/a#x"),
            canonical("https://news.example/a")
        );
        assert_ne!(canonical("https://news.example/a"), canonical("https://news.example/b"));
        assert_eq!(canonical("ftp://x/"), None);
    }
}
