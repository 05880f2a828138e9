import { useEffect, useState, type ReactNode } from 'react';
import { signIn, signOut, started, useAuth } from './auth';
import { fetchProfile, type Profile } from './api';
import { Link, navigate, usePath } from './router';

export function App() {
  const path = usePath();
  return (
    <>
      <Header />
      <main>
        {path === '/callback' ? <Callback /> :
         path === '/protected' ? <RequireAuth><Protected /></RequireAuth> :
         <Home />}
      </main>
    </>
  );
}

function Header() {
  const auth = useAuth();
  return (
    <header>
      <nav>
        <Link to="/">Home</Link> · <Link to="/protected">Protected</Link>
      </nav>
      {auth.status === 'signed-in' ? (
        <span>
          <span data-test="user">{String(auth.user.name ?? auth.user.sub)}</span>{' '}
          <button data-test="sign-out" onClick={signOut}>Sign out</button>
        </span>
      ) : (
        <button data-test="sign-in" disabled={auth.status === 'loading'} onClick={() => signIn()}>
          Sign in
        </button>
      )}
      {auth.status === 'signed-out' && auth.error && <p data-test="error" role="alert">{auth.error.message}</p>}
    </header>
  );
}

/** The redirect URI's page: the sign-in completes in auth.ts; this only goes back where it started. */
function Callback() {
  useEffect(() => {
    let active = true;
    started.then((returnTo) => {
      if (active) navigate(returnTo ?? '/', { replace: true });
    });
    return () => {
      active = false;
    };
  }, []);
  return <p>Signing in…</p>;
}

/** Renders its children only for a signed-in user. */
function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  if (auth.status === 'loading') return <p>Loading…</p>;
  if (auth.status === 'signed-out') return <p>This page is for signed-in users: sign in to see it.</p>;
  return children;
}

function Home() {
  const auth = useAuth();
  if (auth.status !== 'signed-in') return <p>Welcome. Sign in to see your profile, from an API called with your access token.</p>;
  return <ProfileFromApi />;
}

/** Calls the API with the access token. */
function ProfileFromApi() {
  const [profile, setProfile] = useState<Profile>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    // StrictMode runs this twice in development: the first request is aborted.
    const controller = new AbortController();
    fetchProfile(controller.signal).then(setProfile, (e: unknown) => {
      if (!controller.signal.aborted) setError(String(e));
    });
    return () => controller.abort();
  }, []);
  if (error) return <p data-test="error" role="alert">{error}</p>;
  if (!profile) return <p>Calling the API…</p>;
  return (
    <p>
      The API says you are <strong data-test="api">{profile.name ?? profile.sub}</strong>
      {profile.email && ` (${profile.email})`}.
    </p>
  );
}

function Protected() {
  const auth = useAuth();
  if (auth.status !== 'signed-in') return null;
  return (
    <>
      <h1>Protected</h1>
      <p>Only signed-in users see this page. Your ID token's claims:</p>
      <pre>{JSON.stringify(auth.user, null, 2)}</pre>
    </>
  );
}
