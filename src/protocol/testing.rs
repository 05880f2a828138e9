//! Test support: deterministic random and mutated inputs for "never panics" tests, without
//! a property-testing dependency. Each parser test feeds `mutations(seed)` and random bytes.

/// xorshift64*: deterministic, so a failure reproduces from the printed case.
pub struct Rng(u64);

impl Rng {
    /// A generator from a fixed seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `len` random bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// Bytes that tend to break parsers of JSON, URLs, base64url and JWTs.
const TRICKY: &[u8] = b"\"\\{}[],:.=&?#%+/-_ 0189aeAZu\x00\x7f\x80\xc3\xff";

/// `count` mutants of `seed`: every truncation first, then random substitutions,
/// insertions, deletions and duplications of slices.
pub fn mutations(seed: &[u8], count: usize) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = (0..=seed.len()).map(|end| seed[..end].to_vec()).collect();
    let mut rng = Rng::new(seed.len() as u64 ^ 0x9e37_79b9_7f4a_7c15);
    while out.len() < count + seed.len() + 1 {
        let mut m = seed.to_vec();
        for _ in 0..=rng.below(3) {
            let pos = if m.is_empty() { 0 } else { rng.below(m.len()) };
            let byte = if rng.below(2) == 0 {
                TRICKY[rng.below(TRICKY.len())]
            } else {
                rng.next_u64() as u8
            };
            match rng.below(4) {
                0 if !m.is_empty() => m[pos] = byte,
                1 => m.insert(pos, byte),
                2 if !m.is_empty() => {
                    m.remove(pos);
                }
                _ => {
                    let end = (pos + rng.below(16)).min(m.len());
                    let slice = m[pos..end].to_vec();
                    m.splice(pos..pos, slice);
                }
            }
        }
        out.push(m);
    }
    out
}

/// `count` random byte strings of length up to `max_len`.
pub fn random_inputs(count: usize, max_len: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(0x0123_4567_89ab_cdef ^ count as u64);
    (0..count)
        .map(|_| {
            let len = rng.below(max_len + 1);
            rng.bytes(len)
        })
        .collect()
}
