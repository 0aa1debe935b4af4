//! A small seeded PRNG (splitmix64). Hand-written on purpose: the `rand` crate does not promise
//! stable streams across versions, and the simulator promises the same bytes for the same seed.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for a named purpose (`"baseline"`, a cause id, ...).
    pub fn derive(seed: u64, purpose: &str) -> Rng {
        Rng(seed ^ fnv1a(purpose.as_bytes()).rotate_left(17))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi] (inclusive); `lo` when the range is empty.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// Uniform index below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// One element of a non-empty slice (`None` for an empty one).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// An index drawn with the given weights (0 for an empty or all-zero list).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return 0;
        }
        let mut x = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// Log-normal-ish positive value around `median` (spread = sigma of the log).
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        // Box-Muller on two uniforms; 1 - f64() keeps the log argument above zero.
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        median * (sigma * z).exp()
    }

    /// `n` characters from `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| char::from(alphabet[self.below(alphabet.len())])).collect()
    }
}

/// FNV-1a: a stable 64-bit hash of a name (scenario seeds, stream purposes).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Splits `total` over slots in proportion to `weights`, exactly (cumulative rounding), so
/// a cause's failures always add up to what the scenario asked for.
pub fn allocate(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().filter(|w| **w > 0.0).sum();
    let mut out = vec![0u64; weights.len()];
    if sum <= 0.0 || total == 0 {
        return out;
    }
    let mut cum = 0.0;
    let mut given = 0u64;
    for (slot, w) in out.iter_mut().zip(weights) {
        cum += w.max(0.0);
        let upto = ((cum / sum) * total as f64).round() as u64;
        let upto = upto.min(total);
        *slot = upto.saturating_sub(given);
        given = given.max(upto);
    }
    // Rounding can leave the last unit unassigned when the final weight is zero.
    if given < total {
        if let Some(i) = weights.iter().rposition(|w| *w > 0.0) {
            out[i] += total - given;
        }
    }
    out
}
