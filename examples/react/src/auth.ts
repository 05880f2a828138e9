// The app's one AuthClient, its sign-in state as a tiny store, and the useAuth() hook.
import { useSyncExternalStore } from 'react';
import { AuthClient, type IdTokenClaims, type Tokens } from 'okta-auth-wasm';

// One client per app, made when this module is first imported: not in a component, where
// StrictMode's double render (and every remount) would make another one.
export const auth = new AuthClient({
  issuer: import.meta.env.VITE_OKTA_ISSUER,
  clientId: import.meta.env.VITE_OKTA_CLIENT_ID,
  redirectUri: `${window.location.origin}/callback`,
  postLogoutRedirectUri: `${window.location.origin}/`,
  // Survives reloads of the tab. The default, "memory", keeps tokens out of reach of scripts
  // that read storage, but a reload then starts signed out (README.md).
  storage: 'sessionStorage',
});

export type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out'; error?: Error }
  | { status: 'signed-in'; user: IdTokenClaims };

let state: AuthState = { status: 'loading' };
const subscribers = new Set<() => void>();

function set(next: AuthState): void {
  state = next;
  for (const notify of subscribers) notify();
}

function fail(e: unknown): void {
  set({ status: 'signed-out', error: e instanceof Error ? e : new Error(String(e)) });
}

// The client's events keep the state current: sign-in, renewal, sign-out, and what happens in
// the app's other tabs (with storage "localStorage") or when a refresh token is refused.
const signedIn = (tokens: Tokens) => {
  if (tokens.idToken) set({ status: 'signed-in', user: tokens.idToken.claims });
};
auth.on('added', signedIn);
auth.on('renewed', signedIn);
auth.on('removed', () => set({ status: 'signed-out' }));
auth.on('expired', () => set({ status: 'signed-out' }));
auth.on('error', (e) => console.warn(`okta-auth-wasm: ${e.code}: ${e.description}`));

/**
 * Runs once per page load, outside React (a redirect response can be redeemed only once, and
 * StrictMode runs effects twice): completes a redirect sign-in on /callback, resolving to the
 * path to go back to; on any other page, reads the tokens the tab already holds.
 */
export const started: Promise<string | undefined> = (async () => {
  try {
    if (window.location.pathname === '/callback' && auth.isRedirectCallback()) {
      const { appState } = await auth.handleRedirect();
      return typeof appState === 'string' ? appState : '/';
    }
    const tokens = await auth.getTokens(); // renewed first if they are about to expire
    if (tokens.idToken) set({ status: 'signed-in', user: tokens.idToken.claims });
  } catch (e) {
    fail(e);
  } finally {
    if (state.status === 'loading') set({ status: 'signed-out' });
  }
  return undefined;
})();

/** Sign-in by redirect: the provider's page, then /callback, then back to `returnTo`. */
export function signIn(returnTo = window.location.pathname): void {
  auth.signInWithRedirect({ appState: returnTo }).catch(fail);
}

/** Revokes the tokens, then ends the provider's session, which sends the browser back to /. */
export function signOut(): void {
  auth.signOut().catch(fail);
}

function subscribe(notify: () => void): () => void {
  subscribers.add(notify);
  return () => subscribers.delete(notify);
}

/** The sign-in state; re-renders the component when it changes. */
export function useAuth(): AuthState {
  return useSyncExternalStore(subscribe, () => state);
}
