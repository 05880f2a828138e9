// ../dpop.test.mjs in Firefox ESR: the same suite, on the engine harness.mjs reads from E2E_BROWSER
// (set before the import: ES imports are hoisted, a dynamic one is not).
process.env.E2E_BROWSER = 'firefox';
await import('../dpop.test.mjs');
