//! Which addresses the fetcher may connect to.
//!
//! A link pasted in a Discord channel must never make the bot read an internal service: a
//! router's admin page, a database's HTTP port, or the cloud metadata endpoint that hands out
//! credentials. Every address a connection could go to — a literal in a URL, each address a
//! name resolves to, each redirect hop — is checked here, against a table of named ranges, so
//! a refusal says which rule it broke.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// The name of the rule a refusal cites (users see it in the message).
pub const POLICY: &str = "address policy";

/// An address the policy refuses, and the range it is in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{ip} is a {range} address, refused by the {POLICY}")]
pub struct Refused {
    pub ip: IpAddr,
    pub range: &'static str,
}

/// Refused IPv4 ranges, most specific first (the first match names the refusal).
const V4: &[(&str, &str)] = &[
    ("169.254.169.254/32", "cloud metadata"),
    ("100.100.100.200/32", "cloud metadata"),
    ("255.255.255.255/32", "broadcast"),
    ("0.0.0.0/8", "unspecified (this network)"),
    ("10.0.0.0/8", "private (RFC 1918)"),
    ("100.64.0.0/10", "carrier-grade NAT (RFC 6598)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private (RFC 1918)"),
    ("192.0.0.0/24", "IETF protocol assignment"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "6to4 relay anycast"),
    ("192.168.0.0/16", "private (RFC 1918)"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
];

/// Refused IPv6 ranges, most specific first. IPv4-mapped addresses are refused outright:
/// they reach IPv4 hosts through an IPv6 socket, around the IPv4 table.
const V6: &[(&str, &str)] = &[
    ("fd00:ec2::254/128", "cloud metadata"),
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::ffff:0:0/96", "IPv4-mapped IPv6"),
    ("::/96", "IPv4-compatible IPv6"),
    ("64:ff9b:1::/48", "local-use NAT64"),
    ("100::/64", "discard-only"),
    ("2001::/23", "IETF protocol assignment"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("fc00::/7", "unique-local"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local"),
    ("ff00::/8", "multicast"),
];

/// Whether a connection to `ip` is allowed. With `allow_loopback` (a test-only setting),
/// 127.0.0.0/8 and ::1 are, and nothing else the table refuses.
pub fn check(ip: IpAddr, allow_loopback: bool) -> Result<(), Refused> {
    if allow_loopback && ip.is_loopback() {
        return Ok(());
    }
    let refused = |range| Err(Refused { ip, range });
    match ip {
        IpAddr::V4(v4) => match range_v4(v4) {
            Some(range) => refused(range),
            None => Ok(()),
        },
        IpAddr::V6(v6) => {
            if let Some(range) = range_v6(v6) {
                return refused(range);
            }
            // NAT64 and 6to4 carry an IPv4 address: it must pass the IPv4 table too.
            match embedded_v4(v6).and_then(range_v4) {
                Some(range) => refused(range),
                None => Ok(()),
            }
        }
    }
}

fn range_v4(ip: Ipv4Addr) -> Option<&'static str> {
    V4.iter()
        .find(|(net, _)| net.parse::<Ipv4Net>().is_ok_and(|n| n.contains(&ip)))
        .map(|(_, name)| *name)
}

fn range_v6(ip: Ipv6Addr) -> Option<&'static str> {
    V6.iter()
        .find(|(net, _)| net.parse::<Ipv6Net>().is_ok_and(|n| n.contains(&ip)))
        .map(|(_, name)| *name)
}

/// The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let nat64: IpNet = "64:ff9b::/96".parse().ok()?;
    let six_to_four: IpNet = "2002::/16".parse().ok()?;
    let o = ip.octets();
    if nat64.contains(&IpAddr::V6(ip)) {
        Some(Ipv4Addr::new(o[12], o[13], o[14], o[15]))
    } else if six_to_four.contains(&IpAddr::V6(ip)) {
        Some(Ipv4Addr::new(o[2], o[3], o[4], o[5]))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(ip: &str, loopback: bool) -> Option<&'static str> {
        check(ip.parse().unwrap(), loopback).err().map(|r| r.range)
    }

    #[test]
    fn every_internal_range_is_refused_and_named() {
        for (ip, expected) in [
            ("127.0.0.1", "loopback"),
            ("127.255.0.9", "loopback"),
            ("10.1.2.3", "private (RFC 1918)"),
            ("172.16.0.1", "private (RFC 1918)"),
            ("172.31.255.254", "private (RFC 1918)"),
            ("192.168.1.1", "private (RFC 1918)"),
            ("100.64.0.1", "carrier-grade NAT (RFC 6598)"),
            ("100.127.255.255", "carrier-grade NAT (RFC 6598)"),
            ("169.254.169.254", "cloud metadata"),
            ("169.254.0.1", "link-local"),
            ("0.0.0.0", "unspecified (this network)"),
            ("255.255.255.255", "broadcast"),
            ("224.0.0.1", "multicast"),
            ("192.0.2.10", "documentation"),
            ("198.51.100.1", "documentation"),
            ("203.0.113.7", "documentation"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fd00:ec2::254", "cloud metadata"),
            ("fd12:3456::1", "unique-local"),
            ("fc00::1", "unique-local"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
            ("2001:db8::1", "documentation"),
            ("::ffff:127.0.0.1", "IPv4-mapped IPv6"),
            ("::ffff:169.254.169.254", "IPv4-mapped IPv6"),
            ("::ffff:8.8.8.8", "IPv4-mapped IPv6"),
            ("64:ff9b::a9fe:a9fe", "cloud metadata"),
            ("64:ff9b::0a00:0001", "private (RFC 1918)"),
            ("2002:c0a8:0101::1", "private (RFC 1918)"),
        ] {
            assert_eq!(range(ip, false), Some(expected), "{ip}");
        }
    }

    #[test]
    fn public_addresses_pass_and_range_edges_are_exact() {
        // Checked only, never connected to.
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "172.15.255.255",
            "172.32.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "169.253.255.255",
            "192.169.0.0",
            "2606:4700:4700::1111",
            "2a00:1450:4001::1",
            "64:ff9b::808:808",
            "2002:0808:0808::1",
        ] {
            assert_eq!(range(ip, false), None, "{ip}");
        }
    }

    #[test]
    fn the_test_setting_opens_loopback_and_nothing_else() {
        assert_eq!(range("127.0.0.1", true), None);
        assert_eq!(range("::1", true), None);
        for ip in [
            "10.0.0.1",
            "169.254.169.254",
            "::ffff:127.0.0.1",
            "fd00:ec2::254",
            "0.0.0.0",
            "fe80::1",
        ] {
            assert!(range(ip, true).is_some(), "{ip} allowed with loopback on");
        }
    }

    #[test]
    fn a_refusal_names_the_policy_and_the_range() {
        let e = check("169.254.169.254".parse().unwrap(), false).unwrap_err();
        let text = e.to_string();
        assert!(text.contains(POLICY) && text.contains("cloud metadata"), "{text}");
    }
}
