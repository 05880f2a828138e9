// Calling an API with the access token. Your own API would check the token the same way; this
// example calls the provider's userinfo endpoint, which accepts it as a Bearer token too.
import { auth } from './auth';

/** fetch() with `Authorization: Bearer <access token>`, renewed first if it is about to expire. */
export async function fetchWithToken(url: string, init: RequestInit = {}): Promise<Response> {
  const token = await auth.getAccessToken();
  if (!token) throw new Error('not signed in');
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token.value}`);
  return fetch(url, { ...init, headers });
}

let userinfoEndpoint: Promise<string> | undefined;

/** The userinfo endpoint, from the issuer's discovery document (fetched once). */
function userinfoUrl(): Promise<string> {
  userinfoEndpoint ??= fetch(`${auth.issuer}/.well-known/openid-configuration`)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`discovery: HTTP ${r.status}`))))
    .then((d: { userinfo_endpoint: string }) => d.userinfo_endpoint)
    .catch((e: unknown) => {
      userinfoEndpoint = undefined; // try again next time
      throw e;
    });
  return userinfoEndpoint;
}

export interface Profile {
  sub: string;
  name?: string;
  email?: string;
}

export async function fetchProfile(signal: AbortSignal): Promise<Profile> {
  const response = await fetchWithToken(await userinfoUrl(), { signal });
  if (!response.ok) throw new Error(`userinfo: HTTP ${response.status}`);
  return (await response.json()) as Profile;
}
