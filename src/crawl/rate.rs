//! A per-host request rate: each host gets evenly spaced request slots, so `--concurrency`
//! sets how many requests may be in flight and `--rate` how often a new one may start.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub struct RateLimiter {
    interval: Option<Duration>,
    next_slot: Mutex<HashMap<String, Instant>>,
}

impl RateLimiter {
    /// `per_second` of 0 (or less) means no limit.
    pub fn new(per_second: f64) -> Self {
        Self {
            interval: (per_second > 0.0).then(|| Duration::from_secs_f64(1.0 / per_second)),
            next_slot: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for this host's next free slot.
    pub async fn wait(&self, host: &str) {
        let Some(interval) = self.interval else {
            return;
        };
        let slot = {
            let mut slots = self.next_slot.lock().expect("rate limiter lock");
            let now = Instant::now();
            let slot = slots.get(host).copied().unwrap_or(now).max(now);
            slots.insert(host.to_string(), slot + interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_are_spaced() {
        let limiter = RateLimiter::new(4.0);
        let start = Instant::now();
        for _ in 0..5 {
            limiter.wait("example.com").await;
        }
        assert_eq!(start.elapsed(), Duration::from_millis(1000));
        let other = Instant::now();
        limiter.wait("other.example").await;
        assert_eq!(other.elapsed(), Duration::ZERO);
    }
}
