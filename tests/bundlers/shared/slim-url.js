// The slim entry where the bundler does not emit the .wasm (esbuild, Rollup), as the package
// README says: the .wasm copied to the app's static files, its URL passed to init().
import init, { AuthClient } from 'okta-auth-wasm/slim';
import { issuer, clientId } from './config.js';
import { start } from './ui.js';

init('/assets/okta_auth_wasm_bg.wasm').then(() => start(new AuthClient({ issuer, clientId, redirectUri: `${location.origin}/` })));
