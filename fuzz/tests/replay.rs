//! The fuzz targets without libFuzzer, for machines without a nightly toolchain
//! (`cargo test --no-default-features` in fuzz/): every seed in `seeds/<target>/`, every
//! truncation of it, and deterministic random mutations of it (FUZZ_REPLAY_MUTATIONS per
//! seed, default 20000), plus random byte strings. Much weaker than coverage-guided fuzzing,
//! but the same harness code and the same invariants. One test per target.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use okta_auth_wasm_fuzz::TARGETS;

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes that tend to break parsers of JSON, URLs, base64url, JWTs and headers.
const TRICKY: &[u8] = b"\"\\{}[],:.=&?#%+/-_ 0189aeAZu\x00\n\t\x7f\x80\xc3\xff";

/// Every line of dict/oidc.dict, unquoted: spliced in as whole tokens.
fn dictionary() -> Vec<Vec<u8>> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("dict/oidc.dict"))
            .unwrap_or_default();
    text.lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix('"').map(unescape))
        .collect()
}

fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'x') && i + 3 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 2..i + 4], 16) {
                out.push(v);
                i += 4;
                continue;
            }
        }
        if b[i] == b'\\' && i + 1 < b.len() {
            out.push(b[i + 1]);
            i += 2;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn mutate(rng: &mut Rng, seed: &[u8], dict: &[Vec<u8>]) -> Vec<u8> {
    let mut m = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let pos = if m.is_empty() {
            0
        } else {
            rng.below(m.len() + 1).min(m.len())
        };
        let byte = if rng.below(2) == 0 {
            TRICKY[rng.below(TRICKY.len())]
        } else {
            rng.next() as u8
        };
        match rng.below(6) {
            0 if pos < m.len() => m[pos] = byte,
            1 => m.insert(pos, byte),
            2 if pos < m.len() => {
                m.remove(pos);
            }
            3 if !dict.is_empty() => {
                let word = &dict[rng.below(dict.len())];
                m.splice(pos..pos, word.iter().copied());
            }
            4 => {
                // A digit run: huge and negative numbers for NumericDates and ports.
                let digits = b"-99999999999999999999999e999";
                let len = 1 + rng.below(digits.len());
                m.splice(pos..pos, digits[..len].iter().copied());
            }
            _ => {
                let end = (pos + rng.below(32)).min(m.len());
                let slice = m[pos..end].to_vec();
                m.splice(pos..pos, slice);
            }
        }
    }
    m
}

fn replay(name: &str) {
    let target = TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .expect("a known target");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(name);
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    let per_seed: usize = std::env::var("FUZZ_REPLAY_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let dict = dictionary();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ name.len() as u64);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for seed in &seeds {
        inputs.extend((0..=seed.len()).map(|end| seed[..end].to_vec()));
        for _ in 0..per_seed {
            let mut m = mutate(&mut rng, seed, &dict);
            if rng.below(4) == 0 {
                m = mutate(&mut rng, &m, &dict);
            }
            inputs.push(m);
        }
    }
    for _ in 0..per_seed {
        let len = rng.below(256);
        inputs.push((0..len).map(|_| rng.next() as u8).collect());
    }
    for input in &inputs {
        if catch_unwind(AssertUnwindSafe(|| target(input))).is_err() {
            panic!(
                "fuzz target {name} failed on input {:?} (bytes {:?})",
                String::from_utf8_lossy(input),
                input
            );
        }
    }
    println!(
        "fuzz target {name}: {} inputs from {} seeds",
        inputs.len(),
        seeds.len()
    );
}

macro_rules! targets {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() { replay(stringify!($name)); })*

        #[test]
        fn every_target_is_replayed() {
            let listed: Vec<&str> = vec![$(stringify!($name)),*];
            let known: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
            assert_eq!(listed, known);
        }
    };
}

targets!(
    json,
    jwt,
    id_token,
    jwks,
    discovery,
    url_response,
    post_message,
    token_response,
    www_authenticate,
    resource,
    stored,
    url,
    encoding,
    core,
);
