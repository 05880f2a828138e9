//! A strict JSON parser (RFC 8259) for everything the provider sends: JWT headers and
//! payloads, JWK sets, discovery documents, token and userinfo responses, messages.
//!
//! Stricter than `JSON.parse` on purpose: an object with a repeated member name is refused
//! (RFC 7515 §4 and RFC 7519 §4 allow refusing it, and a parser that keeps the last one
//! lets two readers see two different tokens); nesting deeper than [`MAX_DEPTH`] is
//! refused instead of exhausting the stack; lone surrogates in `\u` escapes are refused.
//! No panics on any input.
//!
//! Numbers are kept as written ([`Number`]) and read without floating point: Rust's float
//! parser would bring its tables into the wasm (14.7 KB gzip, measured on the core alone;
//! these readers cost 1.2 KB), and no rule of the core needs a fraction. The readers are
//! exact, and agree with reading the number as the nearest IEEE 754 double (as
//! `JSON.parse` does in the browser) and then checking that double.

use core::cmp::Ordering;

/// How deeply arrays and objects may nest.
pub const MAX_DEPTH: usize = 64;

/// A parsed JSON value. Object members keep their order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// Every number, as written.
    Number(Number),
    /// A string, escapes resolved.
    String(String),
    /// `[...]`
    Array(Vec<Value>),
    /// `{...}`, member names unique.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object; `None` for a missing member or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number, if it is one and an integer within ±2^53: see [`Number::as_i64`].
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }
}

/// Why the input is not acceptable JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError(pub &'static str);

/// Parses one JSON text; white space around it is allowed, anything else is not.
pub fn parse(input: &[u8]) -> Result<Value, JsonError> {
    let text = core::str::from_utf8(input).map_err(|_| JsonError("not UTF-8"))?;
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.i != p.s.len() {
        return Err(JsonError("trailing characters after the JSON value"));
    }
    Ok(value)
}

/// A JSON number as written (RFC 8259 §6), its grammar checked by [`parse`].
///
/// The readers give exactly what reading the number as the nearest IEEE 754 double (as
/// `JSON.parse` does) and then checking that double gives, without parsing a float:
/// `1.7e9`, `1700000000.0` and `17e8` are the same whole number, `-0` is 0, and
/// `1.00000000000000001` is 1 because that is the double it reads as. Equality compares
/// the text as written: `1.0` and `1` are different values.
#[derive(Debug, Clone, PartialEq)]
pub struct Number(String);

impl Number {
    /// The number as written, e.g. `1.7e9`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number, if its nearest double is an integer within ±2^53 (beyond 2^53 a double
    /// no longer holds every integer). `-0` is 0.
    pub fn as_i64(&self) -> Option<i64> {
        match self.digits().nearest_double()? {
            (n, true) => Some(n),
            (_, false) => None,
        }
    }

    /// RFC 7519 §2 NumericDate: whole seconds since the epoch. A NumericDate may be
    /// non-integer; its nearest double is floored (`1.9` is 1, `-1.5` is -2). `None` if
    /// that double is beyond ±2^53, where a double no longer holds every whole second.
    pub fn numeric_date(&self) -> Option<i64> {
        let digits = self.digits();
        match digits.nearest_double()? {
            (n, false) if digits.negative => Some(n - 1),
            (n, _) => Some(n),
        }
    }

    fn digits(&self) -> Digits {
        // An exponent this large already puts every digit far outside the powers of ten
        // any reader looks at (10^-1075 to 10^308), for any input that fits in memory.
        const EXPONENT_CAP: i64 = 1 << 40;
        let mut digits = Vec::new();
        let (mut before_point, mut leading_zeros, mut exponent) = (0i64, 0i64, 0i64);
        let (mut after_point, mut in_exponent) = (false, false);
        let (mut negative, mut negative_exponent) = (false, false);
        for &b in self.0.as_bytes() {
            match b {
                b'0'..=b'9' if in_exponent => {
                    exponent = (exponent * 10 + i64::from(b - b'0')).min(EXPONENT_CAP);
                }
                b'0'..=b'9' => {
                    before_point += i64::from(!after_point);
                    if b == b'0' && digits.is_empty() {
                        leading_zeros += 1;
                    } else {
                        digits.push(b - b'0');
                    }
                }
                b'.' => after_point = true,
                b'e' | b'E' => in_exponent = true,
                b'-' if in_exponent => negative_exponent = true,
                b'-' => negative = true,
                _ => {}
            }
        }
        while let Some(0) = digits.last() {
            digits.pop();
        }
        if negative_exponent {
            exponent = -exponent;
        }
        Digits {
            highest: if digits.is_empty() {
                -1
            } else {
                before_point - 1 - leading_zeros + exponent
            },
            digits,
            negative,
        }
    }
}

/// A number's magnitude as decimal digits.
struct Digits {
    /// The significant digits (values 0 to 9), first and last nonzero; empty for zero.
    digits: Vec<u8>,
    /// The power of ten of the first digit (-1 for zero).
    highest: i64,
    negative: bool,
}

impl Digits {
    /// The digit standing for 10^`power`.
    fn digit(&self, power: i64) -> u8 {
        usize::try_from(self.highest - power)
            .ok()
            .and_then(|i| self.digits.get(i))
            .map_or(0, |d| *d)
    }

    /// The power of ten of the last nonzero digit (`highest` + 1 for zero).
    fn lowest(&self) -> i64 {
        self.highest + 1 - self.digits.len() as i64
    }

    /// Compares the part of the magnitude below 10^(`high` + 1) with
    /// `start` × `factor`^`times` × 10^`shift`, which has no digit at 10^(`high` + 1) or
    /// above.
    fn cmp_below(
        &self,
        high: i64,
        (start, factor, times): (u64, u64, u32),
        shift: i64,
    ) -> Ordering {
        let reference = decimal_digits(start, factor, times);
        let mut power = high;
        while power >= shift {
            let r = reference.get((power - shift) as usize).map_or(0, |d| *d);
            match self.digit(power).cmp(&r) {
                Ordering::Equal => power -= 1,
                unequal => return unequal,
            }
        }
        if self.lowest() < shift {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    }

    /// Compares the fraction (the part below 1) with `m` × 2^-`j` = `m` × 5^j × 10^-j.
    fn cmp_fraction(&self, m: u64, j: u32) -> Ordering {
        self.cmp_below(-1, (m, 5, j), -i64::from(j))
    }

    /// IEEE 754 round-to-nearest-even overflows to infinity from
    /// 2^1024 - 2^970 = (2^54 - 1) × 2^970 (the largest double plus half its spacing) up,
    /// a number of 309 digits.
    fn rounds_to_infinity(&self) -> bool {
        self.highest > 308
            || (self.highest == 308
                && self.cmp_below(308, ((1 << 54) - 1, 1 << 10, 97), 0) != Ordering::Less)
    }

    /// The double nearest to the number (ties to even): its integer part n (rounded
    /// towards zero) and whether it is n; `None` if it is beyond ±2^53.
    fn nearest_double(&self) -> Option<(i64, bool)> {
        const TWO_53: u64 = 1 << 53;
        if self.highest > 15 {
            return None; // at least 10^16
        }
        // The magnitude x is n + f: n = floor(x) < 10^16, f in [0, 1).
        let mut n = 0u64;
        for power in (0..=self.highest).rev() {
            n = n * 10 + u64::from(self.digit(power));
        }
        let whole = self.lowest() >= 0;
        let (magnitude, exact) = if n > TWO_53 + 1 || (n == TWO_53 + 1 && !whole) {
            return None;
        } else if n >= TWO_53 {
            // Doubles there are 2 apart: x in [2^53, 2^53 + 1] reads as 2^53 (the tie at
            // 2^53 + 1 goes to 2^53, the even one).
            (TWO_53, true)
        } else if whole {
            (n, true) // below 2^53 every integer is a double
        } else {
            // For n in [2^k, 2^(k+1)) the doubles around n, and those just below n + 1,
            // are 2^(k-52) apart (2^-53 below 1, k = -1): x reads as n when f is at most
            // 2^(k-53) = 2^-j, as n + 1 when f is at least 1 - 2^-j, a tie going to the
            // even double (n and n + 1 both are, below 2^52). Between 0 and the smallest
            // double 2^-1074, x reads as 0 when at most 2^-1075 = 2.47...e-324.
            let k = 63 - i64::from(n.leading_zeros());
            let j = (53 - k) as u32;
            let even = |m: u64| k < 52 || m % 2 == 0;
            let down = match n {
                0 if self.highest < -324 => Ordering::Less,
                0 if self.highest > -324 => Ordering::Greater,
                0 => self.cmp_fraction(1, 1075),
                _ => self.cmp_fraction(1, j),
            };
            if down == Ordering::Less || (down == Ordering::Equal && even(n)) {
                (n, true)
            } else {
                match self.cmp_fraction((1 << j) - 1, j) {
                    Ordering::Greater => (n + 1, true),
                    Ordering::Equal if even(n + 1) => (n + 1, true),
                    _ => (n, false),
                }
            }
        };
        // At most 2^53.
        let magnitude = magnitude as i64;
        Some((if self.negative { -magnitude } else { magnitude }, exact))
    }
}

/// `start` × `factor`^`times` in decimal digits, least significant first (`factor` at most
/// 2^61, so that a digit times it plus the carry, less than `factor`, fits in a u64).
fn decimal_digits(start: u64, factor: u64, times: u32) -> Vec<u8> {
    let mut digits = Vec::new();
    let mut carry = start;
    for round in 0..=times {
        if round > 0 {
            for d in digits.iter_mut() {
                let v = u64::from(*d) * factor + carry;
                *d = (v % 10) as u8;
                carry = v / 10;
            }
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    digits
}

/// `s.to_owned()` by way of a `Box<str>`: in the wasm (opt-level "z", where little of
/// `Vec`'s machinery is inlined) this copy and its drop cost about half of `to_owned`'s
/// (measured: 25 ns against 46 for 22 bytes), and the parser makes one for every name,
/// string and number.
fn owned(s: &str) -> String {
    String::from(Box::<str>::from(s))
}

/// Whether two members have the same name. Up to 16 members (most objects; at most 120
/// comparisons, most of them ending at the lengths) pairwise, which is cheaper than
/// collecting and sorting the names; beyond, sorted ([`super::syntax::first_duplicate`]),
/// so that many members cannot take quadratic time.
fn repeats_a_name(members: &[(String, Value)]) -> bool {
    if members.len() <= 16 {
        return members
            .iter()
            .enumerate()
            .any(|(i, (name, _))| members[..i].iter().any(|(earlier, _)| earlier == name));
    }
    let mut names: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    super::syntax::first_duplicate(&mut names).is_some()
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    // Inlined: a call per byte was the parser's largest cost in the wasm, and the inlined
    // checks are smaller than the calls (105 B gzip less).
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &'static [u8], value: Value) -> Result<Value, JsonError> {
        if self.s.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(value)
        } else {
            Err(JsonError("unexpected character"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            None => Err(JsonError("unexpected end of input")),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(JsonError("unexpected character")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError("nested too deeply"));
        }
        self.i += 1; // [
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(JsonError("expected , or ] in an array")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError("nested too deeply"));
        }
        self.i += 1; // {
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(JsonError("expected a member name"));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(JsonError("expected : after a member name"));
            }
            self.i += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    if repeats_a_name(&members) {
                        return Err(JsonError("duplicate member name"));
                    }
                    return Ok(Value::Object(members));
                }
                _ => return Err(JsonError("expected , or } in an object")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .s
            .get(self.i..self.i + 4)
            .ok_or(JsonError("truncated \\u escape"))?;
        let mut n = 0u32;
        for d in digits {
            let v = char::from(*d)
                .to_digit(16)
                .ok_or(JsonError("invalid \\u escape"))?;
            n = n * 16 + v;
        }
        self.i += 4;
        Ok(n)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // start..i holds no quote, backslash or control byte, and both ends sit on
            // ASCII boundaries of valid UTF-8, so the slice is valid UTF-8.
            let run = self.text.get(start..self.i).unwrap_or_default();
            if out.is_empty() && self.peek() == Some(b'"') {
                // No escape (one always adds a character), the common case: one copy.
                self.i += 1;
                return Ok(owned(run));
            }
            out.push_str(run);
            match self.peek() {
                None => return Err(JsonError("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let escaped = self.peek().ok_or(JsonError("unterminated string"))?;
                    self.i += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&first) {
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return Err(JsonError("lone surrogate in \\u escape"));
                                }
                                self.i += 2;
                                let second = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&second) {
                                    return Err(JsonError("lone surrogate in \\u escape"));
                                }
                                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                            } else {
                                first
                            };
                            out.push(
                                char::from_u32(code)
                                    .ok_or(JsonError("lone surrogate in \\u escape"))?,
                            );
                        }
                        _ => return Err(JsonError("invalid escape")),
                    }
                }
                Some(_) => return Err(JsonError("control character in a string")),
            }
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(JsonError("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(JsonError("invalid number"));
            }
            self.digits();
        }
        let exponent = matches!(self.peek(), Some(b'e' | b'E'));
        if exponent {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(JsonError("invalid number"));
            }
            self.digits();
        }
        let text = self
            .text
            .get(start..self.i)
            .ok_or(JsonError("invalid number"))?;
        let n = Number(owned(text));
        // `JSON.parse` would read it as Infinity: refused, as an f64 reader of it would be.
        // Without an exponent, only 309 digits or more reach 10^308: shorter numbers skip
        // the check, which allocates.
        if (exponent || text.len() > 308) && n.digits().rounds_to_infinity() {
            return Err(JsonError("number out of range"));
        }
        Ok(Value::Number(n))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Value {
        parse(s.as_bytes()).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
    }

    fn err(s: &[u8]) -> &'static str {
        match parse(s) {
            Err(JsonError(why)) => why,
            Ok(v) => panic!("{:?} parsed as {v:?}", String::from_utf8_lossy(s)),
        }
    }

    #[test]
    fn parses_every_kind_of_value() {
        let v = ok(r#" {"a": [1, -2.5e2, 0, true, false, null], "b": {"c": "d"}, "e": ""} "#);
        let a = v.get("a").unwrap().as_array().unwrap();
        assert_eq!(a[0].as_i64(), Some(1));
        assert_eq!(a[1].as_number().map(Number::as_str), Some("-2.5e2"));
        assert_eq!(a[1].as_i64(), Some(-250));
        assert_eq!(a[3].as_bool(), Some(true));
        assert_eq!(a[5], Value::Null);
        assert_eq!(v.get("b").unwrap().get("c").unwrap().as_str(), Some("d"));
        assert_eq!(v.get("e").unwrap().as_str(), Some(""));
        assert_eq!(v.get("missing"), None);
    }

    #[test]
    fn resolves_escapes_and_surrogate_pairs() {
        let v = ok(r#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#);
        assert_eq!(v.as_str(), Some("\"\\/\u{8}\u{c}\n\r\té😀"));
    }

    #[test]
    fn keeps_raw_utf8() {
        assert_eq!(ok("\"Jane Doé 😀\"").as_str(), Some("Jane Doé 😀"));
    }

    #[test]
    fn rejects_duplicate_member_names() {
        assert_eq!(
            err(br#"{"sub":"alice","sub":"mallory"}"#),
            "duplicate member name"
        );
    }

    #[test]
    fn finds_duplicates_among_many_members_in_less_than_quadratic_time() {
        // Found while fuzzing: names were compared pairwise, so a 540 KB object of 50 000
        // distinct members took 8 s to parse natively (longer in wasm).
        let n = 50_000;
        let mut body: Vec<String> = (0..n).map(|i| format!("\"k{i}\":0")).collect();
        let object = format!("{{{}}}", body.join(","));
        let start = std::time::Instant::now();
        assert_eq!(ok(&object).as_object().map(<[_]>::len), Some(n));
        // Far from the first member, and apart: sorting must still find it.
        body.push("\"k123\":1".to_owned());
        body.push("\"zz\":2".to_owned());
        let repeated = format!("{{{}}}", body.join(","));
        assert_eq!(err(repeated.as_bytes()), "duplicate member name");
        let elapsed = start.elapsed();
        assert!(elapsed.as_secs() < 2, "took {elapsed:?}");
        // A duplicate in a nested object, and one whose value is an object.
        assert_eq!(
            err(br#"{"a":{"b":1,"c":2,"b":3}}"#),
            "duplicate member name"
        );
        assert_eq!(
            err(br#"{"a":{},"b":[],"a":{"x":1}}"#),
            "duplicate member name"
        );
        ok(r#"{"a":{"a":1},"b":{"a":2}}"#);
    }

    #[test]
    fn rejects_lone_surrogates() {
        for s in [r#""\ud800""#, r#""\udc00""#, r#""\ud800\u0041""#] {
            assert_eq!(err(s.as_bytes()), "lone surrogate in \\u escape", "{s}");
        }
    }

    #[test]
    fn rejects_nesting_beyond_the_limit_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert_eq!(err(deep.as_bytes()), "nested too deeply");
        let ok_depth = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        ok(&ok_depth);
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(err(too_deep.as_bytes()), "nested too deeply");
    }

    #[test]
    fn rejects_what_rfc8259_does_not_allow() {
        let bad: [&[u8]; 22] = [
            b"",
            b"   ",
            b"{",
            b"{\"a\"}",
            b"{\"a\":1,}",
            b"[1,]",
            b"[1 2]",
            b"01",
            b"1.",
            b".5",
            b"1e",
            b"+1",
            b"NaN",
            b"Infinity",
            b"1e999",
            b"'a'",
            b"\"a",
            b"\"\x01\"",
            b"\"\\x\"",
            b"{a:1}",
            b"\xef\xbb\xbf{}",
            b"\"\xff\"",
        ];
        for s in bad {
            assert!(parse(s).is_err(), "{:?}", String::from_utf8_lossy(s));
        }
    }

    #[test]
    fn rejects_trailing_content() {
        assert_eq!(err(b"{} {}"), "trailing characters after the JSON value");
    }

    #[test]
    fn integers_are_exact_only_within_2_pow_53() {
        assert_eq!(ok("1311281970").as_i64(), Some(1_311_281_970));
        assert_eq!(
            ok("-9007199254740992").as_i64(),
            Some(-9_007_199_254_740_992)
        );
        assert_eq!(ok("9007199254740994").as_i64(), None);
        assert_eq!(ok("1.5").as_i64(), None);
        assert_eq!(ok("\"1\"").as_i64(), None);
    }

    #[test]
    fn never_panics_on_mutated_input() {
        let seed = br#"{"iss":"https://x.example","aud":["a","b"],"exp":1e3,"n":"\u00e9\ud83d\ude00","x":[null,true,false,{}]}"#;
        // Every truncation, and every single-byte substitution from a set of tricky bytes.
        for end in 0..=seed.len() {
            let _ = parse(&seed[..end]);
        }
        let tricky = [
            b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b'u', b'0', b'-', b'e', 0x00, 0x80,
            0xff,
        ];
        for i in 0..seed.len() {
            for t in tricky {
                let mut m = seed.to_vec();
                m[i] = t;
                let _ = parse(&m);
            }
        }
    }

    // ---- numbers

    fn number(s: &str) -> Number {
        match ok(s) {
            Value::Number(n) => n,
            other => panic!("{s:?} parsed as {other:?}"),
        }
    }

    fn int(s: &str) -> Option<i64> {
        number(s).as_i64()
    }

    fn date(s: &str) -> Option<i64> {
        number(s).numeric_date()
    }

    #[test]
    fn keeps_a_number_as_written() {
        for s in ["-2.5e2", "1E+3", "0.10", "-0"] {
            assert_eq!(number(s).as_str(), s);
        }
    }

    #[test]
    fn reads_a_whole_number_the_same_in_every_notation() {
        for s in [
            "1700000000",
            "1700000000.0",
            "1700000000.000",
            "1.7e9",
            "1.7E9",
            "1.7e+9",
            "17E8",
            "0.17e10",
            "170000000000e-2",
            "0.0000017e15",
        ] {
            assert_eq!(int(s), Some(1_700_000_000), "{s}");
            assert_eq!(date(s), Some(1_700_000_000), "{s}");
        }
        assert_eq!(int("1E3"), Some(1000));
        assert_eq!(int("-1.7e9"), Some(-1_700_000_000));
    }

    #[test]
    fn reads_negative_zero_as_zero() {
        for s in ["-0", "-0.0", "-0e5", "-0.000E-7", "0e99999999999999999999"] {
            assert_eq!(int(s), Some(0), "{s}");
            assert_eq!(date(s), Some(0), "{s}");
        }
    }

    #[test]
    fn refuses_a_fraction_as_an_integer() {
        for s in [
            "1.5",
            "0.5",
            "-1.5",
            "1e-1",
            "1700000000.25",
            "4503599627370495.5",
        ] {
            assert_eq!(int(s), None, "{s}");
        }
    }

    #[test]
    fn reads_numericdate_with_fraction_as_floor() {
        assert_eq!(date("1.9"), Some(1));
        assert_eq!(date("0.5"), Some(0));
        assert_eq!(date("1700000000.999"), Some(1_700_000_000));
        assert_eq!(date("1.7000000005e9"), Some(1_700_000_000));
    }

    #[test]
    fn reads_negative_numericdate_with_fraction_as_floor() {
        assert_eq!(date("-1.5"), Some(-2));
        assert_eq!(date("-0.5"), Some(-1));
        assert_eq!(date("-1e-300"), Some(-1));
        assert_eq!(date("-1700000000.25"), Some(-1_700_000_001));
    }

    #[test]
    fn reads_a_fraction_finer_than_a_double_as_the_double_it_reads_as() {
        // 1 + 10^-17 is nearer 1 than any other double, and 2 - 10^-16 nearer 2.
        assert_eq!(int("1.00000000000000001"), Some(1));
        assert_eq!(date("1.9999999999999999"), Some(2));
        assert_eq!(date("-1.9999999999999999"), Some(-2));
        assert_eq!(int("0.99999999999999999"), Some(1));
        assert_eq!(int("4294967295.0000001"), Some(4_294_967_295));
        // Not fine enough: 1 + 2.3 × 10^-16 is nearer the double after 1.
        assert_eq!(int("1.00000000000000023"), None);
        assert_eq!(date("1.00000000000000023"), Some(1));
    }

    #[test]
    fn breaks_a_tie_between_two_doubles_towards_the_even_one() {
        // 2^52 + 0.5 lies halfway between 2^52 and 2^52 + 1: the even one, 2^52.
        assert_eq!(int("4503599627370496.5"), Some(4_503_599_627_370_496));
        // 2^52 + 1.5: halfway between 2^52 + 1 and 2^52 + 2, the even one.
        assert_eq!(int("4503599627370497.5"), Some(4_503_599_627_370_498));
        // 1 + 2^-53 lies halfway between 1 and the next double: 1.
        assert_eq!(
            int("1.00000000000000011102230246251565404236316680908203125"),
            Some(1)
        );
    }

    #[test]
    fn accepts_integers_up_to_2_pow_53() {
        assert_eq!(int("9007199254740992"), Some(9_007_199_254_740_992));
        assert_eq!(int("-9007199254740992"), Some(-9_007_199_254_740_992));
        assert_eq!(int("9.007199254740992e15"), Some(9_007_199_254_740_992));
        assert_eq!(date("-9007199254740992"), Some(-9_007_199_254_740_992));
    }

    #[test]
    fn reads_up_to_2_pow_53_plus_1_as_2_pow_53_like_a_double() {
        for s in [
            "9007199254740993",
            "9007199254740992.5",
            "9007199254740992.999",
        ] {
            assert_eq!(int(s), Some(9_007_199_254_740_992), "{s}");
            assert_eq!(date(s), Some(9_007_199_254_740_992), "{s}");
        }
    }

    #[test]
    fn rejects_numbers_beyond_2_pow_53() {
        for s in [
            "9007199254740993.0000001",
            "9007199254740994",
            "-9007199254740994",
            "1e16",
            "12345678901234567890",
            "1e308",
        ] {
            assert_eq!(int(s), None, "{s}");
            assert_eq!(date(s), None, "{s}");
        }
    }

    #[test]
    fn reads_numbers_up_to_half_the_smallest_double_as_zero() {
        // The smallest double is 2^-1074; 2^-1075 = 2.4703282292062327208...e-324.
        for s in [
            "1e-400",
            "2.4703282292062327e-324",
            "-2.4703282292062327e-324",
        ] {
            assert_eq!(int(s), Some(0), "{s}");
        }
        assert_eq!(int("2.4703282292062328e-324"), None);
        assert_eq!(date("2.4703282292062328e-324"), Some(0));
        assert_eq!(int("1e-323"), None);
    }

    #[test]
    fn rejects_numbers_a_double_reads_as_infinity() {
        assert!(parse(b"1.7976931348623158e308").is_ok());
        for s in [
            "1.7976931348623159e308",
            "1e309",
            "-1e309",
            "1e99999999999999999999",
        ] {
            assert_eq!(err(s.as_bytes()), "number out of range", "{s}");
        }
    }

    #[test]
    fn reads_huge_exponents_in_bounded_time() {
        let start = std::time::Instant::now();
        assert_eq!(int("1e-99999999999999999999999999999999"), Some(0));
        assert_eq!(date("-1e-99999999999999999999999999999999"), Some(0));
        assert_eq!(int("0.0e99999999999999999999999999999999"), Some(0));
        assert_eq!(
            err(b"1e99999999999999999999999999999999"),
            "number out of range"
        );
        let long = format!("0.{}1e-99999999999999", "0".repeat(100_000));
        assert_eq!(int(&long), Some(0));
        let elapsed = start.elapsed();
        assert!(elapsed.as_secs() < 1, "took {elapsed:?}");
    }

    /// What the readers replaced: the number read as the nearest double (Rust's parser, not
    /// in the wasm), then checked as before. `None` when the parser refused the number.
    fn through_a_double(s: &str) -> Option<(Option<i64>, Option<i64>, Option<u32>)> {
        const LIMIT: f64 = 9_007_199_254_740_992.0;
        let n: f64 = s.parse().unwrap();
        n.is_finite().then(|| {
            let int = (n.fract() == 0.0 && n.abs() <= LIMIT).then_some(n as i64);
            let date = (n.abs() <= LIMIT).then_some(n.floor() as i64);
            let u32 =
                (n.fract() == 0.0 && n >= 0.0 && n <= f64::from(u32::MAX)).then_some(n as u32);
            (int, date, u32)
        })
    }

    fn assert_reads_as_a_double_would(s: &str) {
        let expected = through_a_double(s);
        let actual = match parse(s.as_bytes()) {
            Ok(Value::Number(n)) => Some((
                n.as_i64(),
                n.numeric_date(),
                n.as_i64().and_then(|n| u32::try_from(n).ok()),
            )),
            Ok(other) => panic!("{s:?} parsed as {other:?}"),
            Err(JsonError("number out of range")) => None,
            Err(e) => panic!("{s:?}: {e:?}"),
        };
        assert_eq!(actual, expected, "{s}");
    }

    /// Exact decimal digits of `x` × 10^1100 (an integer), most significant first.
    fn scaled(x: f64) -> Vec<u8> {
        let s = format!("{:.1100}", x);
        s.bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect()
    }

    /// a + b of two `scaled` values.
    fn add(a: &[u8], b: &[u8]) -> Vec<u8> {
        let len = a.len().max(b.len()) + 1;
        let digit = |v: &[u8], i: usize| v.len().checked_sub(i + 1).map_or(0, |j| v[j]);
        let mut sum = vec![0u8; len];
        let mut carry = 0;
        for i in 0..len {
            let d = digit(a, i) + digit(b, i) + carry;
            sum[len - 1 - i] = d % 10;
            carry = d / 10;
        }
        sum
    }

    /// (a + b) / 2 of two `scaled` values, exact: a double has at most 1074 fraction
    /// digits, so the sum ends in a zero digit.
    fn midpoint(a: &[u8], b: &[u8]) -> Vec<u8> {
        let mut half = add(a, b);
        let mut rest = 0;
        for d in half.iter_mut() {
            let v = rest * 10 + *d;
            *d = v / 2;
            rest = v % 2;
        }
        assert_eq!(rest, 0);
        half
    }

    /// A `scaled` value as plain decimal text, without leading or trailing zeros.
    fn decimal(v: &[u8]) -> String {
        let text: String = v.iter().map(|d| char::from(b'0' + d)).collect();
        let (int, frac) = text.split_at(text.len() - 1100);
        let int = match int.trim_start_matches('0') {
            "" => "0",
            int => int,
        };
        match frac.trim_end_matches('0') {
            "" => int.to_owned(),
            frac => format!("{int}.{frac}"),
        }
    }

    /// Plain decimal text `s` less 1 in its last digit, followed by 9999: just below `s`.
    fn just_below(s: &str) -> Option<String> {
        let mut digits = s.as_bytes().to_vec();
        let mut i = digits.len();
        loop {
            i = i.checked_sub(1)?;
            match digits[i] {
                b'.' => {}
                b'0' => digits[i] = b'9',
                d => {
                    digits[i] = d - 1;
                    break;
                }
            }
        }
        let text = String::from_utf8(digits).unwrap();
        let text = match text.strip_prefix('0') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_owned(),
            _ => text,
        };
        Some(format!(
            "{text}{}9999",
            if s.contains('.') { "" } else { "." }
        ))
    }

    /// Plain decimal `s`, just below and just above it, each signed and written in
    /// exponent forms (JSON grammar kept: no leading zeros).
    fn forms(s: &str) -> Vec<String> {
        let above = format!("{s}{}0001", if s.contains('.') { "" } else { "." });
        let mut out = Vec::new();
        for v in [Some(s.to_owned()), Some(above), just_below(s)]
            .into_iter()
            .flatten()
        {
            let (int, frac) = v.split_once('.').unwrap_or((&v, ""));
            let digits = format!("{int}{frac}");
            let trimmed = digits.trim_start_matches('0');
            let mut forms = vec![v.clone()];
            if !trimmed.is_empty() {
                let point = int.len() as i64 - (digits.len() - trimmed.len()) as i64;
                let signed = |e: i64| {
                    if e < 0 {
                        format!("-{}", -e)
                    } else {
                        format!("+{e}")
                    }
                };
                forms.extend([
                    format!("{trimmed}e-{}", frac.len()),
                    format!("0.{trimmed}e{point}"),
                    format!("0.000{trimmed}E{}", signed(point + 3)),
                    format!("{}.{}0e{}", &trimmed[..1], &trimmed[1..], point - 1),
                ]);
            }
            for f in forms {
                out.push(format!("-{f}"));
                out.push(f);
            }
        }
        out
    }

    #[test]
    fn reads_numbers_as_their_nearest_double_would_be_read_at_every_rounding_boundary() {
        let up = |x: f64| f64::from_bits(x.to_bits() + 1);
        let down = |x: f64| f64::from_bits(x.to_bits() - 1);
        let mut integers: Vec<u64> = vec![0, 1, 2, 3, 5, 7, 10, 1_700_000_000, 4_294_967_295];
        for k in 1..=54 {
            integers.extend([(1u64 << k) - 1, 1 << k, (1 << k) + 1]);
        }
        let mut rng = crate::protocol::testing::Rng::new(53);
        for _ in 0..200 {
            integers.push(rng.next_u64() >> (11 + rng.below(53)));
        }
        // Halfway from each integer's double to its neighbours: where a double reads as
        // that integer or not (halfway from 0 up is 2^-1075, from 1 down 1 - 2^-54, from
        // 2^53 up 2^53 + 1).
        let mut boundaries = Vec::new();
        for n in integers {
            let x = n as f64;
            if x > 0.0 {
                boundaries.push(midpoint(&scaled(down(x)), &scaled(x)));
            }
            boundaries.push(midpoint(&scaled(x), &scaled(up(x))));
            boundaries.push(scaled(x));
        }
        // Where a double reads as infinity: the largest double plus half its spacing.
        let two_970 = f64::from_bits((970 + 1023) << 52);
        boundaries.push(add(&scaled(f64::MAX), &scaled(two_970)));
        boundaries.push(scaled(f64::MAX));
        let mut checked = 0;
        for b in &boundaries {
            for s in forms(&decimal(b)) {
                assert_reads_as_a_double_would(&s);
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn reads_random_numbers_as_their_nearest_double_would_be_read() {
        let mut rng = crate::protocol::testing::Rng::new(1075);
        for _ in 0..20_000 {
            let digits: String = (0..1 + rng.below(24))
                .map(|_| char::from(b'0' + rng.below(10) as u8))
                .collect();
            let digits = match digits.trim_start_matches('0') {
                "" => "0",
                d => d,
            };
            let point = rng.below(digits.len() + 1);
            let mut s = String::from(if rng.below(2) == 0 { "-" } else { "" });
            if point == 0 {
                s.push_str("0.");
                s.push_str(digits);
            } else if point == digits.len() {
                s.push_str(digits);
            } else {
                s.push_str(&digits[..point]);
                s.push('.');
                s.push_str(&digits[point..]);
            }
            match rng.below(4) {
                0 => {}
                1 => s.push_str(&format!("e{}", rng.below(40) as i64 - 20)),
                2 => s.push_str(&format!("E+{}", rng.below(20))),
                _ => s.push_str(&format!("e{}", rng.below(800) as i64 - 400)),
            }
            assert_reads_as_a_double_would(&s);
        }
    }
}
