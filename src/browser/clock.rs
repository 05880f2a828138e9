//! The one place that reads the clock. Everything below takes `now` as a parameter.

/// Seconds since the epoch, floored.
pub fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}
