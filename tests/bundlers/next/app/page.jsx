// A server component: it imports the package and renders on the server (at build time, since
// the page is static), where importing must not crash or start the wasm. The sign-in is the
// client component's.
import { AuthClient, AuthError } from 'okta-auth-wasm';
import { SignIn } from './sign-in.jsx';

export default function Page() {
  return (
    <main>
      <h1>okta-auth-wasm in Next.js</h1>
      <p data-test="server-import">
        imported on the server: AuthClient is a {typeof AuthClient}, AuthError a {typeof AuthError}
      </p>
      <SignIn />
    </main>
  );
}
