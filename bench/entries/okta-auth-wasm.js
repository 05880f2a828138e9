// Our package bundled like the others (its JS glue minified by esbuild; the .wasm is added
// to the size row separately, as a bundler copies it unchanged).
export { default, AuthClient } from '../../pkg/index.js';
