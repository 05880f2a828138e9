//! A strict JSON parser (RFC 8259) for everything the provider sends: JWT headers and
//! payloads, JWK sets, discovery documents, token and userinfo responses, messages.
//!
//! Stricter than `JSON.parse` on purpose: an object with a repeated member name is refused
//! (RFC 7515 §4 and RFC 7519 §4 allow refusing it, and a parser that keeps the last one
//! lets two readers see two different tokens); nesting deeper than [`MAX_DEPTH`] is
//! refused instead of exhausting the stack; lone surrogates in `\u` escapes are refused.
//! No panics on any input.

/// How deeply arrays and objects may nest.
pub const MAX_DEPTH: usize = 64;

/// A parsed JSON value. Object members keep their order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// Every number, as an IEEE 754 double (exact for integers up to 2^53).
    Number(f64),
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
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The number, if it is an integer within ±2^53 (exactly representable).
    pub fn as_i64(&self) -> Option<i64> {
        const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
        match self {
            Value::Number(n) if n.fract() == 0.0 && n.abs() <= LIMIT => Some(*n as i64),
            _ => None,
        }
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

/// A JSON number's text (already checked against the grammar) as the nearest `f64`.
/// In the browser, JS `parseFloat`: correctly rounded like Rust's parser, and it spares
/// the wasm core's float-parsing tables (about 10 KB gzip).
#[cfg(target_arch = "wasm32")]
fn parse_f64(text: &str) -> Option<f64> {
    Some(js_sys::parse_float(text))
}

/// A JSON number's text (already checked against the grammar) as the nearest `f64`.
#[cfg(not(target_arch = "wasm32"))]
fn parse_f64(text: &str) -> Option<f64> {
    text.parse().ok()
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
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
                    let mut names: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
                    if super::syntax::first_duplicate(&mut names).is_some() {
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
            out.push_str(self.text.get(start..self.i).unwrap_or_default());
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
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(JsonError("invalid number"));
            }
            self.digits();
        }
        let n: f64 = self
            .text
            .get(start..self.i)
            .and_then(parse_f64)
            .ok_or(JsonError("invalid number"))?;
        if !n.is_finite() {
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
        assert_eq!(a[0], Value::Number(1.0));
        assert_eq!(a[1].as_f64(), Some(-250.0));
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
}
