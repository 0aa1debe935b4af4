//! A mergeable latency sketch with a fixed relative error (DDSketch, log-spaced buckets).
//!
//! Every quantile it returns is within ±[`LATENCY_RELATIVE_ACCURACY`] of the value observed at
//! that rank; memory is a fixed array whatever the number of values; two sketches merge by adding
//! their buckets, so per-thread sketches combine exactly.

use super::summary::{Percentiles, LATENCY_RELATIVE_ACCURACY};

const OFFSET: i32 = 400;
const BUCKETS: usize = 1600;

#[derive(Debug, Clone)]
pub struct Sketch {
    buckets: Vec<u64>,
    zeros: u64,
    count: u64,
    max: f64,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch { buckets: vec![0; BUCKETS], zeros: 0, count: 0, max: 0.0 }
    }
}

fn gamma() -> f64 {
    (1.0 + LATENCY_RELATIVE_ACCURACY) / (1.0 - LATENCY_RELATIVE_ACCURACY)
}

impl Sketch {
    pub fn add(&mut self, value: f64) {
        if !value.is_finite() || value < 0.0 {
            return;
        }
        self.count += 1;
        if value > self.max {
            self.max = value;
        }
        // Below 1 µs counts as zero.
        if value < 1e-3 {
            self.zeros += 1;
            return;
        }
        let index = (value.ln() / gamma().ln()).ceil() as i32 + OFFSET;
        let slot = index.clamp(0, BUCKETS as i32 - 1) as usize;
        if let Some(b) = self.buckets.get_mut(slot) {
            *b += 1;
        }
    }

    pub fn merge(&mut self, other: &Sketch) {
        for (a, b) in self.buckets.iter_mut().zip(&other.buckets) {
            *a += b;
        }
        self.zeros += other.zeros;
        self.count += other.count;
        self.max = self.max.max(other.max);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// The value at quantile `q` (0..=1), clamped to the exact maximum.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.count - 1) as f64).floor() as u64;
        if rank < self.zeros {
            return 0.0;
        }
        let mut seen = self.zeros;
        let g = gamma();
        for (slot, n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen > rank {
                let index = slot as i32 - OFFSET;
                let value = 2.0 * g.powi(index) / (g + 1.0);
                return value.min(self.max);
            }
        }
        self.max
    }

    pub fn percentiles(&self) -> Percentiles {
        let round = |v: f64| (v * 100.0).round() / 100.0;
        Percentiles {
            count: self.count,
            p50: round(self.quantile(0.50)),
            p90: round(self.quantile(0.90)),
            p99: round(self.quantile(0.99)),
            max: round(self.max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_within_the_stated_error() {
        let mut s = Sketch::default();
        for i in 1..=10_000 {
            s.add(f64::from(i));
        }
        for (q, exact) in [(0.5, 5000.0), (0.9, 9000.0), (0.99, 9900.0)] {
            let got = s.quantile(q);
            assert!((got - exact).abs() / exact <= LATENCY_RELATIVE_ACCURACY + 1e-3, "q{q}: {got} vs {exact}");
        }
        assert_eq!(s.percentiles().max, 10_000.0);
    }

    #[test]
    fn merging_equals_adding_everything_to_one() {
        let (mut a, mut b, mut all) = (Sketch::default(), Sketch::default(), Sketch::default());
        for i in 0..1000 {
            let v = f64::from(i) * 3.7;
            if i % 2 == 0 {
                a.add(v)
            } else {
                b.add(v)
            }
            all.add(v);
        }
        a.merge(&b);
        assert_eq!(a.percentiles(), all.percentiles());
    }

    #[test]
    fn empty_and_odd_values() {
        let mut s = Sketch::default();
        assert_eq!(s.quantile(0.99), 0.0);
        s.add(f64::NAN);
        s.add(-1.0);
        s.add(0.0);
        assert_eq!(s.count(), 1);
        assert_eq!(s.quantile(0.5), 0.0);
    }
}
