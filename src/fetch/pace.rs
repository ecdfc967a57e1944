//! At most one request per host every few seconds: a team pasting ten links from one site, or
//! a feed with fifty new entries, must not hammer it.
//!
//! Each host has the time its next request may start; a caller reserves the next slot under
//! the lock and waits outside it, so concurrent fetches to one host queue up in order.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Hosts remembered at most; past that, hosts whose slot has passed are forgotten.
const HOSTS_KEPT: usize = 10_000;

#[derive(Debug, Default)]
pub struct Pace {
    next: Mutex<HashMap<String, Instant>>,
}

impl Pace {
    /// Waits until `host` may be asked again, and reserves the slot after that, `interval`
    /// later.
    pub async fn wait(&self, host: &str, interval: Duration) {
        let start = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            if next.len() >= HOSTS_KEPT {
                next.retain(|_, t| *t > now);
            }
            let start = next.get(host).copied().filter(|t| *t > now).unwrap_or(now);
            next.insert(host.to_string(), start + interval);
            start
        };
        tokio::time::sleep_until(start).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_are_spaced_and_other_hosts_are_not_held_up() {
        let pace = Pace::default();
        let interval = Duration::from_secs(3);
        let t0 = Instant::now();
        pace.wait("a.example", interval).await;
        pace.wait("b.example", interval).await;
        assert_eq!(t0.elapsed(), Duration::ZERO);
        pace.wait("a.example", interval).await;
        assert_eq!(t0.elapsed(), interval);
        pace.wait("a.example", interval).await;
        assert_eq!(t0.elapsed(), interval * 2);
        pace.wait("b.example", interval).await;
        assert_eq!(t0.elapsed(), interval * 2, "b's slot had passed");
    }
}
