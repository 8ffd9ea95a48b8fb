// Bundles the client, the server, the CLI and the conformance runner with esbuild.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Half the bytes to load: activation and server start are mostly spent parsing vscode-languageclient.
  minify: true,
  // Stack traces in the logs keep readable function names (the source maps map the rest).
  keepNames: true,
  logLevel: 'warning',
  // Prefer ES modules: jsonc-parser's UMD build loads its parts with requires esbuild cannot follow.
  mainFields: ['module', 'main'],
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/conformance.ts'], outfile: 'dist/conformance.js' }),
]);
