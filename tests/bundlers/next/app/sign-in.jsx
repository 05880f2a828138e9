'use client';
// The client component: one AuthClient for the whole app, made on first use in the browser
// (this module is also evaluated on the server for the first HTML, where there is no window),
// and a sign-in with a popup.
import { useEffect, useState } from 'react';
import { AuthClient } from 'okta-auth-wasm';

let client;
function getClient() {
  client ??= new AuthClient({
    issuer: process.env.NEXT_PUBLIC_OKTA_ISSUER,
    clientId: process.env.NEXT_PUBLIC_OKTA_CLIENT_ID,
    redirectUri: `${window.location.origin}/`,
  });
  return client;
}

const nameOf = (tokens) => tokens?.idToken?.claims.name ?? null;

export function SignIn() {
  const [ready, setReady] = useState(false);
  const [user, setUser] = useState(null);
  const [error, setError] = useState(null);

  // StrictMode runs this twice in development (mount, unmount, mount): the same client, its
  // listeners added, removed and added again.
  useEffect(() => {
    const auth = getClient();
    let active = true;
    const onTokens = (tokens) => setUser(nameOf(tokens));
    const onGone = () => setUser(null);
    auth.on('added', onTokens);
    auth.on('renewed', onTokens);
    auth.on('removed', onGone);
    auth.on('expired', onGone);
    auth.getTokens().then(
      (tokens) => {
        if (!active) return;
        setUser(nameOf(tokens));
        setReady(true);
      },
      (e) => active && setError(String(e)),
    );
    return () => {
      active = false;
      auth.off('added', onTokens);
      auth.off('renewed', onTokens);
      auth.off('removed', onGone);
      auth.off('expired', onGone);
    };
  }, []);

  async function signIn() {
    setError(null);
    try {
      // Opens the popup at once, inside the click.
      const tokens = await getClient().signInWithPopup();
      setUser(nameOf(tokens));
    } catch (e) {
      setError(String(e));
      console.error(e);
    }
  }

  if (user) return <p>Signed in as <strong data-test="user">{user}</strong></p>;
  return (
    <>
      <button data-test="sign-in" disabled={!ready} onClick={signIn}>Sign in</button>
      {error && <p data-test="error">{error}</p>}
    </>
  );
}
