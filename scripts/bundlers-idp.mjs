// The embedded provider (dev-idp/) for one variant of the bundler layer, in a process of its
// own: scripts/bundlers.mjs starts it with the app origins as a JSON array, reads one JSON
// line {org, custom} (the issuers) from stdout, and ends it by its PID.
//
// Why a process: under Node 20, generating the provider's RSA key (generateKeyPairSync, then
// export as JWK) can deadlock the thread when a garbage collection lands inside the export
// (seen twice in a runner that started a provider per variant: main thread waiting forever
// on a mutex in ~KeyGenJob, called from ExportJWK via V8's weak callbacks). A stuck process
// here is timed out, killed and started again; a stuck runner would have stalled the layer.
import { startDevIdp } from '../dev-idp/server.mjs';

const idp = await startDevIdp({ orgPort: 0, customPort: 0, appOrigins: JSON.parse(process.argv[2]), autoLogin: true });
process.stdout.write(`${JSON.stringify({ org: idp.org.issuer, custom: idp.custom.issuer })}\n`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => idp.close().then(() => process.exit(0)));
}
