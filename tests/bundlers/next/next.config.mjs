// StrictMode (the app router's default, said here so it stays on): in `next dev` React mounts
// each component twice, the case that made two wasm instances before one shared init().
// The roots: this folder, not the repository whose lockfile lies above it.
const root = import.meta.dirname;

export default {
  reactStrictMode: true,
  turbopack: { root },
  outputFileTracingRoot: root,
};
