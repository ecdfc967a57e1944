//! Per-user rate limit: at most `max` requests in any `window`.
//!
//! A sliding window of request times per user. A refused request does not count, so a user
//! who waits is served again as soon as the oldest request leaves the window.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use dashmap::DashMap;

pub struct RateLimiter {
    pub max: usize,
    pub window: Duration,
    seen: DashMap<u64, VecDeque<Instant>>,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> RateLimiter {
        RateLimiter {
            max,
            window,
            seen: DashMap::new(),
        }
    }

    /// `Ok` when `user` may ask now (and counts it), else how long to wait.
    pub fn check(&self, user: u64, now: Instant) -> Result<(), Duration> {
        if self.max == 0 {
            return Ok(());
        }
        let mut times = self.seen.entry(user).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.max {
            let oldest = *times.front().expect("non-empty when full");
            return Err(self.window.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        drop(times);
        // Keep memory bounded by active users.
        if self.seen.len() > 10_000 {
            let window = self.window;
            self.seen
                .retain(|_, t| t.back().is_some_and(|last| now.duration_since(*last) < window));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_per_ten_seconds_per_user() {
        let rl = RateLimiter::new(5, Duration::from_secs(10));
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(rl.check(1, t0 + Duration::from_secs(i)).is_ok());
        }
        let wait = rl.check(1, t0 + Duration::from_secs(5)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(5));
        assert!(
            rl.check(2, t0 + Duration::from_secs(5)).is_ok(),
            "other users are not affected"
        );
        assert!(
            rl.check(1, t0 + Duration::from_secs(10)).is_ok(),
            "the oldest request left the window"
        );
    }
}
