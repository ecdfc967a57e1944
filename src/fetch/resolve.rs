//! Name resolution for the HTTP client, filtered by the address policy.
//!
//! Checking a host's addresses and then letting the client resolve it again would leave a
//! window (a DNS answer that changes between the two: "DNS rebinding"). Instead the client
//! resolves through this hook, which drops every refused address: a connection can only go to
//! an address that passed the check.

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::policy::{self, Refused};

/// `reqwest`'s resolver, restricted to addresses the policy allows.
#[derive(Debug, Clone, Copy)]
pub struct PolicyResolver {
    pub allow_loopback: bool,
}

/// A name that resolved to no address at all.
#[derive(Debug, thiserror::Error)]
#[error("{0} has no address")]
pub struct NoAddress(pub String);

impl Resolve for PolicyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_loopback = self.allow_loopback;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed = allowed(&host, found, allow_loopback)?;
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The addresses a connection may use; when there is none, the first refusal.
pub fn allowed(
    host: &str,
    found: Vec<SocketAddr>,
    allow_loopback: bool,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    let mut first_refusal: Option<Refused> = None;
    let mut allowed = Vec::new();
    for addr in found {
        match policy::check(addr.ip(), allow_loopback) {
            Ok(()) => allowed.push(addr),
            Err(r) => {
                first_refusal.get_or_insert(r);
            }
        }
    }
    match (allowed.is_empty(), first_refusal) {
        (false, _) => Ok(allowed),
        (true, Some(r)) => Err(Box::new(r)),
        (true, None) => Err(Box::new(NoAddress(host.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addrs(list: &[&str]) -> Vec<SocketAddr> {
        list.iter().map(|a| SocketAddr::new(a.parse().unwrap(), 0)).collect()
    }

    #[test]
    fn refused_addresses_are_dropped_from_an_answer() {
        // A name that resolves to a public and a metadata address keeps only the public one.
        let kept = allowed(
            "mixed.example",
            addrs(&["169.254.169.254", "8.8.8.8", "10.0.0.1"]),
            false,
        )
        .unwrap();
        assert_eq!(kept, addrs(&["8.8.8.8"]));
    }

    #[test]
    fn an_answer_of_only_internal_addresses_is_refused_with_its_range() {
        let err = allowed("rebind.example", addrs(&["10.0.0.1", "fd00::1"]), false).unwrap_err();
        let refused = err.downcast_ref::<Refused>().expect("a policy refusal");
        assert_eq!(refused.range, "private (RFC 1918)");
        let err = allowed("none.example", Vec::new(), false).unwrap_err();
        assert!(err.downcast_ref::<NoAddress>().is_some());
    }

    #[tokio::test]
    async fn resolving_localhost_goes_through_the_policy() {
        // Resolution of "localhost" reads /etc/hosts and sends nothing.
        let name: Name = "localhost".parse().unwrap();
        let err = match (PolicyResolver { allow_loopback: false }).resolve(name).await {
            Ok(a) => panic!("localhost resolved to {:?}", a.collect::<Vec<_>>()),
            Err(e) => e,
        };
        assert_eq!(err.downcast_ref::<Refused>().map(|r| r.range), Some("loopback"));
        let name: Name = "localhost".parse().unwrap();
        let found: Vec<SocketAddr> = PolicyResolver { allow_loopback: true }
            .resolve(name)
            .await
            .unwrap()
            .collect();
        assert!(!found.is_empty() && found.iter().all(|a| a.ip().is_loopback()));
    }
}
