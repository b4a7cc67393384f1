// Installs Debian's chromium when /usr/bin/chromium is missing (we run as root on CI and dev
// machines). Tests use that binary through Playwright's executablePath; no browser is downloaded.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(chromiumPath)) return chromiumPath;
  console.log(`ensure-chromium: ${chromiumPath} is missing, installing Debian's chromium with apt-get`);
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  execSync(`${sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq chromium`, { stdio: 'inherit' });
  if (!existsSync(chromiumPath)) throw new Error(`ensure-chromium: ${chromiumPath} still missing after apt-get`);
  return chromiumPath;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
