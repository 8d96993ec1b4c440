// Installs what the project needs on a fresh Debian/Ubuntu machine, only when it is missing:
// npm packages, Debian's Chromium (for WebGPU tests on SwiftShader) and the Fashion-MNIST files.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function mustRun(cmd, args) {
  const status = run(cmd, args);
  if (status !== 0) {
    console.error(`\n'${cmd} ${args.join(' ')}' failed with exit code ${status}.`);
    process.exit(status);
  }
}

export function ensureNodeModules() {
  if (existsSync('node_modules/.package-lock.json')) return;
  console.log('Installing npm packages (npm ci)...');
  mustRun('npm', ['ci']);
}

function asRoot(args) {
  const isRoot = process.getuid?.() === 0;
  return isRoot ? args : ['sudo', ...args];
}

/** Installs Debian packages that are missing; `packages` maps a package name to a file it provides. */
export function ensureDebianPackages(packages) {
  const missing = Object.entries(packages).filter(([, file]) => !existsSync(file)).map(([name]) => name);
  if (missing.length === 0) return;
  console.log(`Installing Debian packages: ${missing.join(' ')}`);
  const [cmd, ...rest] = asRoot(['apt-get', 'update', '-q']);
  mustRun(cmd, rest);
  const [cmd2, ...rest2] = asRoot(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-q', ...missing]);
  mustRun(cmd2, rest2);
}

export function ensureChromium() {
  if (process.env.CHROMIUM_PATH) return;
  ensureDebianPackages({ chromium: CHROMIUM });
}

export function ensureData() {
  if (!existsSync('/usr/share/datasets/fashion-mnist') && !process.env.FASHION_MNIST_DIR && !existsSync('public/fashion-mnist/t10k-labels-idx1-ubyte.gz')) {
    // Debian ships the official files; the data script falls back to the download otherwise.
    const status = run('sh', ['-c', 'apt-cache show dataset-fashion-mnist >/dev/null 2>&1 || exit 1']);
    if (status === 0 || process.getuid?.() === 0) {
      try {
        ensureDebianPackages({ 'dataset-fashion-mnist': '/usr/share/datasets/fashion-mnist' });
      } catch {
        // Not fatal: the data script tries the official download next.
      }
    }
  }
  mustRun(process.execPath, ['scripts/data.mjs']);
}
