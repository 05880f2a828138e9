import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'test-app/app.js',
  output: { file: 'dist/app.js', format: 'es' },
  plugins: [nodeResolve()],
};
