// The state behind one AuthClient. The core keeps nothing; everything it must remember
// between calls lives here, as the texts the core produced.
import type { DpopKey } from './dpop.js';
import type { ConfigText, IdTokenExpectText, Jwk, JwksText, Provider, StoredText } from './core.js';
import type { Env } from './env.js';
import type { TokenStorage } from './types.js';

/** The normalized configuration, as the shell reads it (the core wrote it). */
export interface Settings {
  issuer: string;
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri?: string;
  scopes: string[];
  responseType: string;
  storage: 'memory' | 'sessionStorage' | 'localStorage' | 'custom';
  clockSkewSeconds: number;
  expireEarlySeconds: number;
  popupTimeoutMs: number;
  silentTimeoutMs: number;
  httpTimeoutMs: number;
  popupResponseMode: string;
  autoRenew: boolean;
  /** DPoP (RFC 9449): tokens bound to a key pair of this browser's. */
  dpop: boolean;
}

export type Listener = (payload: never) => void;

/** One client's state. */
export interface Ctx {
  env: Env;
  config: ConfigText;
  settings: Settings;
  keys: { tokens: string; marker: string; lock: string; transactionPrefix: string };
  /** The app's own storage object, for `storage: TokenStorage`. */
  customStorage: TokenStorage | undefined;
  /** Discovery (or the derived endpoints), once known; the request under way. */
  provider: Provider | undefined;
  providerPending: Promise<Provider> | undefined;
  /** The JWK set last fetched, when, and when a missing key last made us refetch it (seconds; -1: never). */
  jwks: { text: JwksText; fetchedAt: number } | undefined;
  jwksPending: Promise<JwksText> | undefined;
  lastRefetch: number;
  /** The core's key choices for the cached JWK set, by JWS header (see provider.ts keyFor). */
  keyChoices: { jwks: JwksText; byHeader: Map<string, Jwk> } | undefined;
  /** Imported verification keys, by issuer, kid and modulus. */
  cryptoKeys: Map<string, CryptoKey>;
  /** The popup of the popup sign-in under way. */
  popup: Window | null;
  /** The silent sign-in under way: its options (JSON) and its outcome. */
  silent: { options: string; outcome: Promise<StoredText> } | undefined;
  /**
   * The redirect response being completed: handleRedirect's `url` argument ("" for the page's)
   * and the outcome, shared by a concurrent call with the same argument (React StrictMode
   * runs an effect twice).
   */
  redirect: [url: string, outcome: Promise<{ stored: StoredText; appState: string }>] | undefined;
  /** The tokens held ("" for none), and the storage value they were last read from or written as. */
  held: StoredText | '';
  lastRaw: string | null;
  loaded: boolean;
  /** The renewal under way, shared by every caller. */
  renewal: Promise<StoredText> | undefined;
  listeners: Map<string, Set<Listener>>;
  timer: number | undefined;
  /** verifyIdToken's last options (JSON) and the core's reading of them. */
  verifyOptions: [string, { expect: IdTokenExpectText; now?: number }] | undefined;
  /** DPoP keys known to this client, by thumbprint; the one the tokens held are bound to ("" for none). */
  dpopKeys: Map<string, DpopKey>;
  boundKey: string;
  /** The latest DPoP nonce of each server (origin). */
  dpopNonces: Map<string, string>;
  /** Re-arms the auto-renew timer after the tokens held changed (set by renewal.ts). */
  schedule: () => void;
}
