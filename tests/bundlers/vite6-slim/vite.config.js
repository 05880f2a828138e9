export default {
  optimizeDeps: { exclude: ['okta-auth-wasm'] },
};
