//! The one error type of the library.
//!
//! Every variant has a stable, machine-readable [`Error::code`]; apps branch on the code,
//! never on the message. At the JS boundary an `Error` becomes an `AuthError` with
//! `.code`, `.message` and `.description`.

/// Everything that can go wrong, with the context needed to tell the user why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A configuration value is missing or unusable. `field` is the option's JS name.
    InvalidConfig {
        /// The option's name as the app wrote it (`issuer`, `clientId`, `endpoints.token`, ...).
        field: &'static str,
        /// What is wrong with it, as a sentence fragment: "must be an absolute URL".
        problem: &'static str,
    },
    /// The configuration object has an option this version does not know: usually a typo
    /// (`clientID` for `clientId`) that would otherwise be silently ignored.
    UnknownConfigOption(String),
    /// The browser could not supply cryptographically secure random bytes.
    RandomUnavailable,
    /// A PKCE code verifier does not follow RFC 7636 §4.1 (43-128 unreserved characters).
    InvalidCodeVerifier,
}

impl Error {
    /// The stable code, as JS sees it in `AuthError.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidConfig { .. } | Error::UnknownConfigOption(_) => "invalid_config",
            Error::RandomUnavailable => "random_unavailable",
            Error::InvalidCodeVerifier => "invalid_code_verifier",
        }
    }

    /// A human-readable explanation, without the code.
    pub fn description(&self) -> String {
        match self {
            Error::InvalidConfig { field, problem } => {
                let mut s = String::with_capacity(field.len() + problem.len() + 1);
                s.push_str(field);
                s.push(' ');
                s.push_str(problem);
                s
            }
            Error::UnknownConfigOption(name) => {
                let mut s = String::from("unknown option \"");
                s.push_str(name);
                s.push_str("\" (option names are case-sensitive: issuer, clientId, redirectUri, ...)");
                s
            }
            Error::RandomUnavailable => {
                "crypto.getRandomValues is not available in this environment".into()
            }
            Error::InvalidCodeVerifier => {
                "a PKCE code verifier must be 43 to 128 characters from A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)"
                    .into()
            }
        }
    }

    /// `code: description`, the text of `AuthError.message`.
    pub fn message(&self) -> String {
        let description = self.description();
        let code = self.code();
        let mut s = String::with_capacity(code.len() + 2 + description.len());
        s.push_str(code);
        s.push_str(": ");
        s.push_str(&description);
        s
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_config_message_names_the_field_and_the_code() {
        let e = Error::InvalidConfig {
            field: "issuer",
            problem: "is required",
        };
        assert_eq!(e.code(), "invalid_config");
        assert_eq!(e.description(), "issuer is required");
        assert_eq!(e.message(), "invalid_config: issuer is required");
    }

    #[test]
    fn unknown_option_message_quotes_the_name() {
        let e = Error::UnknownConfigOption("clientID".into());
        assert_eq!(e.code(), "invalid_config");
        assert!(e
            .message()
            .starts_with("invalid_config: unknown option \"clientID\""));
    }

    #[test]
    fn codes_are_distinct() {
        let all = [
            Error::InvalidConfig {
                field: "x",
                problem: "y",
            },
            Error::RandomUnavailable,
            Error::InvalidCodeVerifier,
        ];
        let mut codes: Vec<_> = all.iter().map(Error::code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
