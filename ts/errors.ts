// The one error type of the package. The core's errors and the shell's own both become it.

/**
 * What every okta-auth-wasm call throws or rejects with.
 *
 * Branch on `code` (stable, listed in the README), never on `message`.
 */
export class AuthError extends Error {
  /** Stable machine-readable code: "invalid_config", "state_mismatch", "login_required", ... */
  readonly code: string;
  /** The explanation, without the code. For provider errors, includes its error_description. */
  readonly description: string;
  /** For errors the provider sent: its `error` (or Okta's `errorCode`), exactly as sent. */
  readonly oauthError?: string;

  constructor(code: string, message: string, description: string, oauthError?: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    this.description = description;
    if (oauthError !== undefined) this.oauthError = oauthError;
  }
}
