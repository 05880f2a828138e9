import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Nothing for okta-auth-wasm: its default entry carries its WebAssembly inside.
// The origin, http://127.0.0.1:5173, is the one registered with the provider (README.md).
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
});
