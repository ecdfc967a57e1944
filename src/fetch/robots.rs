//! `robots.txt`: what a site asks crawlers not to fetch, read once per site and kept a while.
//!
//! The rules are parsed by `texting_robots`. How a missing or failing `robots.txt` counts
//! follows the usual crawler convention (RFC 9309): not found (4xx) allows everything, a
//! server error (5xx) allows nothing until it is read again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use texting_robots::Robot;

/// The product token sites name in `robots.txt` to address this crawler.
pub const ROBOT_NAME: &str = "DossierBot";
/// How long a site's rules are kept before they are read again.
const KEPT_FOR: Duration = Duration::from_secs(3600);
/// Sites remembered at most.
const SITES_KEPT: usize = 10_000;
/// A `robots.txt` larger than this is ignored, as crawlers do (RFC 9309 asks for 500 KiB).
pub const MAX_ROBOTS_BYTES: usize = 512 * 1024;
/// The longest Crawl-delay honoured (a larger one would stall a feed for hours).
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// One site's rules.
pub enum Rules {
    AllowAll,
    DenyAll,
    Parsed(Box<Robot>),
}

impl Rules {
    /// The rules in a `robots.txt` served with success; unreadable rules allow everything.
    pub fn parse(body: &[u8]) -> Rules {
        match Robot::new(ROBOT_NAME, body) {
            Ok(robot) => Rules::Parsed(Box::new(robot)),
            Err(_) => Rules::AllowAll,
        }
    }

    /// The rules when `robots.txt` answered with `status` instead.
    pub fn for_status(status: u16) -> Rules {
        if (400..500).contains(&status) {
            Rules::AllowAll
        } else {
            Rules::DenyAll
        }
    }

    pub fn allows(&self, url: &str) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::DenyAll => false,
            Rules::Parsed(robot) => robot.allowed(url),
        }
    }

    /// The Crawl-delay the site asks for, within reason.
    pub fn delay(&self) -> Option<Duration> {
        match self {
            Rules::Parsed(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY)),
            _ => None,
        }
    }
}

/// Each site's rules, by origin (`scheme://host:port`).
#[derive(Default)]
pub struct RobotsCache {
    sites: Mutex<HashMap<String, (Instant, Arc<Rules>)>>,
}

impl RobotsCache {
    pub fn get(&self, origin: &str) -> Option<Arc<Rules>> {
        let sites = self.sites.lock().unwrap_or_else(|p| p.into_inner());
        sites
            .get(origin)
            .filter(|(at, _)| at.elapsed() < KEPT_FOR)
            .map(|(_, r)| r.clone())
    }

    pub fn put(&self, origin: &str, rules: Rules) -> Arc<Rules> {
        let rules = Arc::new(rules);
        let mut sites = self.sites.lock().unwrap_or_else(|p| p.into_inner());
        if sites.len() >= SITES_KEPT {
            sites.retain(|_, (at, _)| at.elapsed() < KEPT_FOR);
        }
        sites.insert(origin.to_string(), (Instant::now(), rules.clone()));
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_for_this_robot_and_for_everyone() {
        let rules = Rules::parse(
            b"User-agent: *\nDisallow: /private/\n\nUser-agent: DossierBot\nDisallow: /no-dossier/\nCrawl-delay: 7\n",
        );
        assert!(rules.allows("https://s.example/news/1"));
        assert!(!rules.allows("https://s.example/no-dossier/1"));
        assert_eq!(rules.delay(), Some(Duration::from_secs(7)));
        let everyone = Rules::parse(b"User-agent: *\nDisallow: /private/\nCrawl-delay: 100000\n");
        assert!(!everyone.allows("https://s.example/private/x"));
        assert_eq!(everyone.delay(), Some(MAX_CRAWL_DELAY));
    }

    #[test]
    fn missing_rules_allow_and_failing_ones_deny() {
        assert!(Rules::for_status(404).allows("https://s.example/a"));
        assert!(Rules::for_status(403).allows("https://s.example/a"));
        assert!(!Rules::for_status(503).allows("https://s.example/a"));
        assert!(Rules::parse(&[0xff, 0xfe, 0x00]).allows("https://s.example/a"));
    }
}
