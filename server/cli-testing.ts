/**
 * Test support: runs server/cli.ts as a child process, the way users start it, and resolves with
 * the URL from its "listening on" line. Tests kill the children they started (SIGKILL for crash
 * tests); `children` collects them so a failing test can still clean up.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface CliProcess {
  readonly child: ChildProcess;
  readonly url: string;
}

export async function startCliForTesting(args: readonly string[], children: ChildProcess[]): Promise<CliProcess> {
  const cli = new URL('./cli.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr += String(d); });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const m = /^sync server listening on (ws:\/\/\S+)/.exec(line);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`cli exited (${code}) before listening: ${stderr}`)));
  });
  return { child, url };
}

/** SIGKILLs the child and resolves once it is gone. */
export async function killForTesting(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export function killAllForTesting(children: readonly ChildProcess[]): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
