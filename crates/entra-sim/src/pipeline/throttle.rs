//! Fixed-window request counting for the throttling knob (graph-facts §9.1).

use crate::config::Throttle;

#[derive(Debug, Default, Clone)]
pub struct ThrottleWindow {
    start_ms: i64,
    count: u32,
}

impl ThrottleWindow {
    /// Counts a request; returns the `Retry-After` seconds when it is over the limit.
    pub fn admit(&mut self, limit: &Throttle, now_ms: i64) -> Option<u64> {
        let window = limit.window_ms.max(1) as i64;
        if now_ms >= self.start_ms + window || now_ms < self.start_ms {
            self.start_ms = now_ms;
            self.count = 0;
        }
        if self.count >= limit.max_requests {
            let remaining_ms = (self.start_ms + window - now_ms).max(1);
            return Some(((remaining_ms + 999) / 1000) as u64);
        }
        self.count += 1;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_n_per_window_then_reopens() {
        let limit = Throttle {
            max_requests: 2,
            window_ms: 10_000,
        };
        let mut w = ThrottleWindow::default();
        assert_eq!(w.admit(&limit, 1_000_000), None);
        assert_eq!(w.admit(&limit, 1_000_001), None);
        assert_eq!(w.admit(&limit, 1_002_500), Some(8));
        assert_eq!(w.admit(&limit, 1_010_000), None);
    }
}
