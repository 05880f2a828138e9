// Key generation for the embedded provider, written around a Node 20 deadlock.
//
// `generateKeyPairSync(...)` followed by `privateKey.export({ format: 'jwk' })` can hang the
// thread for good: when a garbage collection lands inside the JWK export, V8's weak callback
// runs the finished KeyGenJob's destructor, which waits on the key's mutex that the export
// holds (seen under gdb: ~KeyGenJob<RsaKeyGenTraits> inside ExportJWKRsaKey, main thread
// blocked in pthread_mutex_lock; about one `startDevIdp` in a hundred). Asking for DER makes
// the job hand back bytes; the key exported is then a new KeyObject with a mutex of its own.
import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';

/** A new RSA signing key as a private JWK with a fresh `kid` (RS256, use sig). */
export function generateRsaSigningJwk(modulusLength = 2048) {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength,
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  });
  const jwk = createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return { ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' };
}
