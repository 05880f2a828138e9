// The slim entry: the .wasm is a separate file, fetched and compiled by init().
import init, { AuthClient } from 'okta-auth-wasm/slim';
import { issuer, clientId } from './config.js';
import { start } from './ui.js';

init().then(() => start(new AuthClient({ issuer, clientId, redirectUri: `${location.origin}/` })));
