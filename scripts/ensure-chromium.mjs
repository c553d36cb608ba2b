#!/usr/bin/env node
// Makes sure the system packages that npm cannot install are present:
//   chromium   - the browser for the puppeteer tests, and SwiftShader (software Vulkan) for Dawn in Node
//   libvulkan1 - the Vulkan loader Dawn opens to reach SwiftShader
// As root it installs them with apt-get; otherwise it names them and fails (or only warns with --optional).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const optional = process.argv.includes('--optional');
const required = [
  { pkg: 'chromium', file: '/usr/bin/chromium' },
  { pkg: 'chromium', file: '/usr/lib/chromium/vk_swiftshader_icd.json' },
  { pkg: 'libvulkan1', file: findLibVulkan() },
];

function findLibVulkan() {
  const candidates = [
    '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
    '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  ];
  return candidates.find((f) => existsSync(f)) ?? candidates[process.arch === 'arm64' ? 1 : 0];
}

const missing = [...new Set(required.filter((r) => !existsSync(r.file)).map((r) => r.pkg))];
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  const message =
    `gpu-handles needs the Debian package(s) ${missing.join(', ')} (headless Chromium, SwiftShader and the ` +
    `Vulkan loader for real WebGPU without a GPU). Install them as root:\n  apt-get update && apt-get install -y ${missing.join(' ')}`;
  console.error(message);
  process.exit(optional ? 0 : 1);
}
console.log(`installing Debian package(s): ${missing.join(', ')} ...`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execSync('apt-get update -qq', { stdio: 'inherit', env });
execSync(`apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit', env });
