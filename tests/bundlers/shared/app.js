// The default entry, as the package README says: import and use, no init(), no wasm setup.
import { AuthClient } from 'okta-auth-wasm';
import { issuer, clientId } from './config.js';
import { start } from './ui.js';

start(new AuthClient({ issuer, clientId, redirectUri: `${location.origin}/` }));
