#!/usr/bin/env node
/**
 * Makes sure a Chromium exists for the browser tests (the `storybook` vitest project), without ever downloading a
 * browser build of Playwright's own:
 *
 * - `CHROMIUM_PATH` set and present, or `/usr/bin/chromium` present: nothing to do.
 * - Otherwise, as root with `apt-get`: installs Debian's `chromium` package.
 * - Otherwise: exits 1 with what to do.
 *
 * Run by the root `pretest` script and by `.ci/run`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import process from 'node:process';

const DEFAULT_PATH = '/usr/bin/chromium';

const isExecutable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const hasCommand = (command) =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const configured = process.env.CHROMIUM_PATH;
if (configured) {
  if (isExecutable(configured)) process.exit(0);
  fail(`CHROMIUM_PATH is set to ${configured}, which is not an executable file.`);
}
if (isExecutable(DEFAULT_PATH)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !hasCommand('apt-get')) {
  fail(`No Chromium at ${DEFAULT_PATH}, and this is not a root shell with apt-get to install one.`);
}

console.error(
  `ensure-chromium: no Chromium at ${DEFAULT_PATH}; installing Debian's chromium package (about 35 s).`,
);
run('apt-get update -qq');
run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium');
if (!isExecutable(DEFAULT_PATH)) fail(`apt-get installed chromium, but ${DEFAULT_PATH} is still missing.`);
console.error(`ensure-chromium: installed ${DEFAULT_PATH}.`);

function run(command) {
  const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) fail(`\`${command}\` failed (exit status ${result.status ?? result.signal}).`);
}

function fail(reason) {
  console.error(
    `ensure-chromium: ${reason}\n` +
      'The story tests run in a real Chromium. Install one, then run the tests again:\n' +
      '  Debian/Ubuntu: sudo apt-get install chromium   (Ubuntu: chromium-browser, or Google Chrome)\n' +
      '  macOS:         brew install --cask chromium    (or use Google Chrome)\n' +
      'If it is not at /usr/bin/chromium, point CHROMIUM_PATH at it, e.g.\n' +
      '  export CHROMIUM_PATH="/Applications/Chromium.app/Contents/MacOS/Chromium"\n' +
      'Do not run `playwright install`: the tests use this system browser.',
  );
  process.exit(1);
}
