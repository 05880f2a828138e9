// A node:test reporter for scripts/stress.sh: one JSON line per test that ended (suites
// left out): {file, name, ok, ms}. Used beside the spec reporter:
//   node --test --test-reporter=spec --test-reporter-destination=stdout \
//     --test-reporter=./scripts/durations-reporter.mjs --test-reporter-destination=FILE
export default async function* durations(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    if (details?.type === 'suite') continue;
    yield `${JSON.stringify({ file, name, ok: event.type === 'test:pass', ms: Math.round(details?.duration_ms ?? 0) })}\n`;
  }
}
