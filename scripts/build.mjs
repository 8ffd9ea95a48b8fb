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
  // No keepNames: it wraps every closure the engine creates per document in a naming call (a tenth of judging),
  // and nothing reads function names; the source maps name the minified frames.
  logLevel: 'warning',
  // Prefer ES modules: jsonc-parser's UMD build loads its parts with requires esbuild cannot follow.
  mainFields: ['module', 'main'],
  // yaml's ES module build (its "browser" entry, the same code; it warns on stderr) instead of its CommonJS one: bundled
  // as CommonJS, every call of an imported yaml function went through a getter, a fifth of turning trees into JSON.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/conformance.ts'], outfile: 'dist/conformance.js' }),
]);
