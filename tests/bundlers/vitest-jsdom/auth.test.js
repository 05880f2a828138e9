// @vitest-environment jsdom
// The package's README says: in jsdom (Vitest), import and use it with no set-up.
import { test, expect } from 'vitest';
import { AuthClient, AuthError } from 'okta-auth-wasm';

test('okta-auth-wasm in Vitest + jsdom, no init()', async () => {
  const client = new AuthClient({ issuer: 'https://dev-1.okta.com/oauth2/default', clientId: '0oa1spa', redirectUri: `${location.origin}/` });
  const { url, state } = await client.buildAuthorizeUrl();
  const params = new URL(url).searchParams;
  expect(url.startsWith('https://dev-1.okta.com/oauth2/default/v1/authorize?')).toBe(true);
  expect(params.get('state')).toBe(state);
  expect(params.get('code_challenge_method')).toBe('S256');
  expect(await client.isAuthenticated()).toBe(false);
  expect(() => new AuthClient({ clientId: 'x' })).toThrow(AuthError);
});
