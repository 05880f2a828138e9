//! When held tokens are renewed: before a read hands out a token that is expired or about
//! to be, when the auto-renew timer fires, and whether a renewed token is usable at all.
//!
//! Plain functions over expiry times in seconds since the Unix epoch (`None`: not known)
//! and a `now` passed in. `early` is `expireEarlySeconds`: a token is renewed this long
//! before it expires, so that one handed out does not expire on its way to the server.
//! Arithmetic saturates: no expiry time, however large or small, wraps around.

use super::Error;

/// Which token a read is about: only that one's expiry triggers a renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// `getTokens()`: the ID token and the access token.
    All,
    /// `getIdToken()`.
    IdToken,
    /// `getAccessToken()`.
    AccessToken,
}

/// The expiry times of the held tokens, in seconds since the Unix epoch; `None` where a
/// token is not held or its expiry is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Expiries {
    /// The ID token's `exp` (OpenID Connect Core §2).
    pub id_token: Option<i64>,
    /// When the access token expires: its `expires_in` (RFC 6749 §5.1) added to the clock
    /// at receipt.
    pub access_token: Option<i64>,
}

impl Expiries {
    /// The earlier of the two known expiry times; `None` when neither is known.
    pub fn earliest(self) -> Option<i64> {
        match (self.id_token, self.access_token) {
            (Some(id), Some(access)) => Some(id.min(access)),
            (id, access) => id.or(access),
        }
    }
}

/// The auto-renew timer never fires sooner than this: a provider whose tokens live shorter
/// than `expireEarlySeconds` must not be asked again in a tight loop.
pub const MIN_RENEWAL_DELAY_SECONDS: i64 = 10;

/// The auto-renew timer never waits longer than this (about 23 days): `setTimeout` takes a
/// signed 32-bit count of milliseconds (HTML Standard, timers), and 2 000 000 000 ms stays
/// below 2³¹ − 1.
pub const MAX_RENEWAL_DELAY_SECONDS: i64 = 2_000_000;

/// Whether a token expiring at `exp` is expired or within `early` seconds of it at `now`:
/// `exp − early ≤ now`. A token whose expiry is not known never is.
pub fn expires_within(exp: Option<i64>, early: i64, now: i64) -> bool {
    exp.is_some_and(|exp| exp.saturating_sub(early) <= now)
}

/// Whether the held tokens must be renewed before `which` is handed out: that token is
/// expired or within `early` seconds of it ([`expires_within`]). For [`Which::All`], either
/// token being so is enough. Only an expiry that is known can make a renewal due.
pub fn renewal_due(expiries: Expiries, which: Which, early: i64, now: i64) -> bool {
    let id = expires_within(expiries.id_token, early, now);
    let at = expires_within(expiries.access_token, early, now);
    match which {
        Which::All => id || at,
        Which::IdToken => id,
        Which::AccessToken => at,
    }
}

/// How many seconds from `now` the auto-renew timer fires: `early` seconds before the
/// earliest known expiry of the two tokens, kept within [`MIN_RENEWAL_DELAY_SECONDS`] and
/// [`MAX_RENEWAL_DELAY_SECONDS`] (so never negative, even when the tokens are already
/// expired). `None` when no expiry is known: there is nothing to renew ahead of.
pub fn renewal_delay(expiries: Expiries, early: i64, now: i64) -> Option<i64> {
    Some(
        expiries
            .earliest()?
            .saturating_sub(early)
            .saturating_sub(now)
            .clamp(MIN_RENEWAL_DELAY_SECONDS, MAX_RENEWAL_DELAY_SECONDS),
    )
}

/// A token just renewed for `which` must not already be expired at `now` (with no early
/// window: it is handed out as it is, the provider has nothing fresher). When it is, the
/// provider issues tokens that live shorter than the clock allows, and the read fails with
/// [`Error::Expired`] rather than handing out a stale token. The error's `exp` is that of
/// the token that expired: the ID token's for [`Which::IdToken`], the access token's for
/// [`Which::AccessToken`], the earlier of the two for [`Which::All`]. (A token without a
/// known expiry is never due, so the fallback to `now` is only a default.)
// Inlined: out of line, the caller's `?` copies a whole `Error` through memory (+84 B gzip
// in pkg/, against +5 B inlined).
#[inline]
pub fn validate_renewed(expiries: Expiries, which: Which, now: i64) -> Result<(), Error> {
    if !renewal_due(expiries, which, 0, now) {
        return Ok(());
    }
    let exp = match which {
        Which::IdToken => expiries.id_token,
        Which::AccessToken => expiries.access_token,
        Which::All => expiries.earliest(),
    };
    Err(Error::Expired {
        exp: exp.unwrap_or(now),
        now,
    })
}

/// OpenID Connect Core §12.2 lets a refresh answer carry no ID token. The held one is then
/// kept (it still names the user, and Okta wants it as `id_token_hint` at sign-out) only
/// while it is not due itself (`held_exp`, with `early` as in [`expires_within`]). A due one
/// is dropped: a refresh that did not renew it never will, and keeping it would make every
/// read renew again, in a loop, and then fail once it expired. The access token is served
/// while it is valid.
pub fn keeps_id_token_after_refresh(held_exp: i64, early: i64, now: i64) -> bool {
    !expires_within(Some(held_exp), early, now)
}

/// A renewal through a new authorization request (a silent sign-in, when no refresh token
/// is held) must bring back the ID token of the user whose tokens it renews (`renewing`:
/// the held ID token's `sub`, `None` when none was held). The provider's session may by now
/// be someone else's: that is a new sign-in, which the app must see as one, not a renewal
/// that swaps the signed-in user ([`Error::SubMismatch`]). Without an ID token (`received`
/// `None`, e.g. `responseType: "token"`) nothing shows whose the new access token is, so
/// a renewal of a known user's tokens is refused too. A refresh is held to the same rule
/// by OpenID Connect Core §12.2.
pub fn validate_renewed_sub(renewing: Option<&str>, received: Option<&str>) -> Result<(), Error> {
    match (renewing, received) {
        (None, _) => Ok(()),
        (Some(held), Some(new)) if held == new => Ok(()),
        (Some(_), Some(_)) => Err(Error::SubMismatch {
            problem: "the silent renewal signed in another user: sign in again",
        }),
        (Some(_), None) => Err(Error::SubMismatch {
            problem: "the silent renewal brought back no ID token to show it is the same user: sign in again",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;
    const EARLY: i64 = 30;

    fn both(id_token: i64, access_token: i64) -> Expiries {
        Expiries {
            id_token: Some(id_token),
            access_token: Some(access_token),
        }
    }

    fn id_only(exp: i64) -> Expiries {
        Expiries {
            id_token: Some(exp),
            access_token: None,
        }
    }

    fn access_only(exp: i64) -> Expiries {
        Expiries {
            id_token: None,
            access_token: Some(exp),
        }
    }

    // ---- expires_within ---------------------------------------------------------------

    #[test]
    fn a_token_expiring_after_the_early_window_is_not_within_it() {
        assert!(!expires_within(Some(NOW + EARLY + 1), EARLY, NOW));
    }

    #[test]
    fn a_token_expiring_exactly_at_the_end_of_the_early_window_is_within_it() {
        assert!(expires_within(Some(NOW + EARLY), EARLY, NOW));
    }

    #[test]
    fn a_token_expiring_now_is_within_the_early_window() {
        assert!(expires_within(Some(NOW), EARLY, NOW));
        assert!(expires_within(Some(NOW), 0, NOW));
    }

    #[test]
    fn an_expired_token_is_within_the_early_window() {
        assert!(expires_within(Some(NOW - 1), EARLY, NOW));
        assert!(expires_within(Some(NOW - 1), 0, NOW));
    }

    #[test]
    fn without_an_early_window_a_token_is_due_only_once_expired() {
        assert!(!expires_within(Some(NOW + 1), 0, NOW));
    }

    #[test]
    fn a_token_without_a_known_expiry_is_never_within_the_early_window() {
        assert!(!expires_within(None, EARLY, NOW));
        assert!(!expires_within(None, i64::MAX, i64::MAX));
    }

    #[test]
    fn expires_within_saturates_instead_of_wrapping() {
        // i64::MIN - 30 would wrap to a huge expiry: it saturates to the far past.
        assert!(expires_within(Some(i64::MIN), EARLY, NOW));
        // i64::MAX - (-1) would wrap to i64::MIN: it saturates to the far future.
        assert!(!expires_within(Some(i64::MAX), -1, NOW));
        assert!(expires_within(Some(i64::MAX), 0, i64::MAX));
    }

    // ---- renewal_due --------------------------------------------------------------------

    #[test]
    fn renews_when_access_token_expires_within_the_early_window() {
        let e = both(NOW + 3600, NOW + EARLY - 10);
        assert!(renewal_due(e, Which::AccessToken, EARLY, NOW));
        assert!(renewal_due(e, Which::All, EARLY, NOW));
    }

    #[test]
    fn renews_when_id_token_expires_within_the_early_window() {
        let e = both(NOW + EARLY - 10, NOW + 3600);
        assert!(renewal_due(e, Which::IdToken, EARLY, NOW));
        assert!(renewal_due(e, Which::All, EARLY, NOW));
    }

    #[test]
    fn does_not_renew_when_both_tokens_outlive_the_early_window() {
        let e = both(NOW + 3600, NOW + 3600);
        for which in [Which::All, Which::IdToken, Which::AccessToken] {
            assert!(!renewal_due(e, which, EARLY, NOW), "{which:?}");
        }
    }

    #[test]
    fn reading_the_access_token_ignores_the_id_token_expiry() {
        let e = both(NOW - 1, NOW + 3600);
        assert!(!renewal_due(e, Which::AccessToken, EARLY, NOW));
    }

    #[test]
    fn reading_the_id_token_ignores_the_access_token_expiry() {
        let e = both(NOW + 3600, NOW - 1);
        assert!(!renewal_due(e, Which::IdToken, EARLY, NOW));
    }

    #[test]
    fn renews_all_when_either_token_is_due() {
        assert!(renewal_due(id_only(NOW), Which::All, EARLY, NOW));
        assert!(renewal_due(access_only(NOW), Which::All, EARLY, NOW));
    }

    #[test]
    fn does_not_renew_when_no_expiry_is_known() {
        for which in [Which::All, Which::IdToken, Which::AccessToken] {
            assert!(
                !renewal_due(Expiries::default(), which, EARLY, NOW),
                "{which:?}"
            );
        }
    }

    #[test]
    fn a_missing_token_does_not_make_a_read_of_it_due() {
        assert!(!renewal_due(
            id_only(NOW - 1),
            Which::AccessToken,
            EARLY,
            NOW
        ));
        assert!(!renewal_due(
            access_only(NOW - 1),
            Which::IdToken,
            EARLY,
            NOW
        ));
    }

    // ---- renewal_delay ------------------------------------------------------------------

    #[test]
    fn timer_fires_early_seconds_before_the_expiry() {
        assert_eq!(
            renewal_delay(access_only(NOW + 3600), EARLY, NOW),
            Some(3570)
        );
        assert_eq!(renewal_delay(id_only(NOW + 3600), EARLY, NOW), Some(3570));
    }

    #[test]
    fn timer_follows_the_token_that_expires_first() {
        assert_eq!(
            renewal_delay(both(NOW + 600, NOW + 3600), EARLY, NOW),
            Some(570)
        );
        assert_eq!(
            renewal_delay(both(NOW + 3600, NOW + 600), EARLY, NOW),
            Some(570)
        );
    }

    #[test]
    fn no_timer_when_no_expiry_is_known() {
        assert_eq!(renewal_delay(Expiries::default(), EARLY, NOW), None);
    }

    #[test]
    fn timer_never_fires_sooner_than_the_minimum_delay() {
        // Due in 5 s: held back to 10 s.
        assert_eq!(
            renewal_delay(access_only(NOW + EARLY + 5), EARLY, NOW),
            Some(MIN_RENEWAL_DELAY_SECONDS)
        );
        // Exactly at the minimum: unchanged.
        assert_eq!(
            renewal_delay(access_only(NOW + EARLY + 10), EARLY, NOW),
            Some(10)
        );
        assert_eq!(
            renewal_delay(access_only(NOW + EARLY + 11), EARLY, NOW),
            Some(11)
        );
    }

    #[test]
    fn timer_delay_is_never_negative_for_expired_tokens() {
        assert_eq!(
            renewal_delay(both(NOW - 3600, NOW - 1), EARLY, NOW),
            Some(MIN_RENEWAL_DELAY_SECONDS)
        );
    }

    #[test]
    fn timer_for_tokens_living_shorter_than_the_early_window_waits_the_minimum() {
        // expireEarlySeconds at its maximum (3600), tokens living 60 s.
        assert_eq!(
            renewal_delay(access_only(NOW + 60), 3600, NOW),
            Some(MIN_RENEWAL_DELAY_SECONDS)
        );
    }

    #[test]
    fn timer_delay_is_capped_within_the_settimeout_limit() {
        let year = 365 * 24 * 3600;
        assert_eq!(
            renewal_delay(access_only(NOW + year), EARLY, NOW),
            Some(MAX_RENEWAL_DELAY_SECONDS)
        );
        assert_eq!(
            renewal_delay(access_only(NOW + EARLY + 2_000_000), EARLY, NOW),
            Some(2_000_000)
        );
        assert!(MAX_RENEWAL_DELAY_SECONDS * 1000 <= i64::from(i32::MAX));
    }

    #[test]
    fn timer_delay_saturates_instead_of_wrapping() {
        assert_eq!(
            renewal_delay(access_only(i64::MAX), EARLY, i64::MIN),
            Some(MAX_RENEWAL_DELAY_SECONDS)
        );
        assert_eq!(
            renewal_delay(access_only(i64::MIN), EARLY, i64::MAX),
            Some(MIN_RENEWAL_DELAY_SECONDS)
        );
        assert_eq!(
            renewal_delay(both(i64::MAX, i64::MAX), -1, NOW),
            Some(MAX_RENEWAL_DELAY_SECONDS)
        );
    }

    // ---- validate_renewed ---------------------------------------------------------------

    #[test]
    fn a_renewed_token_within_the_early_window_is_still_handed_out() {
        let e = both(NOW + 1, NOW + 1);
        for which in [Which::All, Which::IdToken, Which::AccessToken] {
            assert_eq!(validate_renewed(e, which, NOW), Ok(()), "{which:?}");
        }
    }

    #[test]
    fn a_renewed_token_without_a_known_expiry_is_handed_out() {
        assert_eq!(
            validate_renewed(Expiries::default(), Which::All, NOW),
            Ok(())
        );
    }

    #[test]
    fn rejects_a_renewed_access_token_that_is_already_expired() {
        assert_eq!(
            validate_renewed(access_only(NOW), Which::AccessToken, NOW),
            Err(Error::Expired { exp: NOW, now: NOW })
        );
    }

    #[test]
    fn rejects_a_renewed_id_token_that_is_already_expired() {
        assert_eq!(
            validate_renewed(both(NOW - 5, NOW + 3600), Which::IdToken, NOW),
            Err(Error::Expired {
                exp: NOW - 5,
                now: NOW
            })
        );
    }

    #[test]
    fn expired_error_for_all_reports_the_expiry_that_passed() {
        assert_eq!(
            validate_renewed(both(NOW + 3600, NOW - 7), Which::All, NOW),
            Err(Error::Expired {
                exp: NOW - 7,
                now: NOW
            })
        );
        // Only the ID token expired: its expiry, not the access token's.
        assert_eq!(
            validate_renewed(both(NOW - 7, NOW + 3600), Which::All, NOW),
            Err(Error::Expired {
                exp: NOW - 7,
                now: NOW
            })
        );
    }

    #[test]
    fn expired_error_for_all_reports_the_only_known_expiry() {
        assert_eq!(
            validate_renewed(id_only(NOW - 7), Which::All, NOW),
            Err(Error::Expired {
                exp: NOW - 7,
                now: NOW
            })
        );
    }

    #[test]
    fn a_silent_renewal_must_bring_back_the_same_user() {
        assert_eq!(validate_renewed_sub(Some("00u1"), Some("00u1")), Ok(()));
        let err = validate_renewed_sub(Some("00u1"), Some("00u2")).unwrap_err();
        assert_eq!(err.code(), "sub_mismatch");
        // Byte for byte: sub is case-sensitive (OpenID Connect Core §2).
        assert!(validate_renewed_sub(Some("00uABC"), Some("00uabc")).is_err());
    }

    #[test]
    fn a_refresh_without_an_id_token_keeps_the_held_one_only_while_it_is_not_due() {
        assert!(keeps_id_token_after_refresh(NOW + EARLY + 1, EARLY, NOW));
        assert!(!keeps_id_token_after_refresh(NOW + EARLY, EARLY, NOW));
        assert!(!keeps_id_token_after_refresh(NOW - 1, EARLY, NOW));
    }

    #[test]
    fn a_silent_renewal_without_an_id_token_cannot_renew_a_known_user() {
        let err = validate_renewed_sub(Some("00u1"), None).unwrap_err();
        assert_eq!(err.code(), "sub_mismatch");
        assert!(
            err.description().contains("no ID token"),
            "{}",
            err.description()
        );
    }

    #[test]
    fn tokens_that_named_no_user_can_be_renewed_with_or_without_an_id_token() {
        assert_eq!(validate_renewed_sub(None, None), Ok(()));
        assert_eq!(validate_renewed_sub(None, Some("00u1")), Ok(()));
    }
}
