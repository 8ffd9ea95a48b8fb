// Bundles the editor tests with esbuild into out/: the launcher and the integration runner (run by Node),
// the integration suite (loaded by VS Code's extension host, so CommonJS with `vscode` external), and the
// UI tests. Packages stay external: mocha must be the one in node_modules that the suite's index loads.
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', logLevel: 'warning', packages: 'external' };
const testsIn = (dir) => readdirSync(dir).filter((name) => name.endsWith('.test.ts')).map((name) => `${dir}/${name}`);

rmSync('out/e2e', { recursive: true, force: true });
rmSync('out/ui', { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: ['test/e2e/launcher/launcher.ts'], outfile: 'out/e2e/launcher.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['test/e2e/runIntegration.ts'], outfile: 'out/e2e/runIntegration.js' }),
  build({ ...common, entryPoints: ['test/e2e/suite/index.ts', ...testsIn('test/e2e/suite')], outdir: 'out/e2e/suite' }),
  build({ ...common, entryPoints: ['test/ui/run.ts', ...testsIn('test/ui')], outdir: 'out/ui' }),
]);
// runTests spawns the launcher as if it were the VS Code binary.
chmodSync('out/e2e/launcher.js', 0o755);
