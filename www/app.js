// The demo app: what a frontend developer copies. With a bundler, import from 'okta-auth-wasm'.
import init, { AuthClient, AuthError } from '/pkg/index.js';

// The embedded OpenID Provider's issuer (`make demo`) and this app's own URL as redirect URI.
const defaults = {
  issuer: 'http://127.0.0.1:4000',
  clientId: 'demo-spa',
  redirectUri: new URL('/', location.href).href,
};

const status = document.getElementById('status');
const output = document.getElementById('output');
const form = document.getElementById('config');

function show(state, text, details) {
  status.dataset.state = state;
  // textContent, never innerHTML: claims and error descriptions can carry user input.
  status.textContent = text;
  output.textContent = details;
}

function createClient(config) {
  try {
    const client = new AuthClient(config);
    show('ready', 'Client created.', JSON.stringify({
      issuer: client.issuer,
      clientId: client.clientId,
      redirectUri: client.redirectUri,
      scopes: client.scopes,
      responseType: client.responseType,
    }, null, 2));
    return client;
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    // e.code is stable ("invalid_config"); e.message says which option and why.
    show('error', `AuthError ${e.code}`, e.message);
    return null;
  }
}

await init(); // fetches and instantiates the .wasm once
for (const [name, value] of Object.entries(defaults)) form.elements[name].value = value;
createClient(defaults);

form.addEventListener('submit', (event) => {
  event.preventDefault();
  createClient(Object.fromEntries(new FormData(form)));
});
