// The error every okta-auth-wasm call throws or rejects with. The wasm constructs it;
// the package entry (index.js) re-exports this very module, so `instanceof` works.
export class AuthError extends Error {
  constructor(code, message, description, oauthError) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    this.description = description;
    if (oauthError !== undefined) this.oauthError = oauthError;
  }
}
