import { ChildProcess, spawn, StdioOptions } from 'node:child_process';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ffmpeg missing). */
  error?: Error;
}

/** One ffmpeg process with the tail of its log kept for error messages. */
export interface FfmpegChild {
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
  /** The last lines ffmpeg logged (it logs at `error` level only). */
  stderrTail(): string;
  /** True once it has exited. */
  readonly done: boolean;
  kill(signal?: NodeJS.Signals): void;
}

const STDERR_TAIL_CHARS = 4000;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Every ffmpeg still running when Node exits normally is told to stop: decoders simply
 * end, an encoder given SIGTERM closes its playlist. (On SIGKILL of Node nothing runs
 * here: the encoder then reads end-of-file on stdin and ends by itself, decoders end at
 * their next write to a closed pipe or after ten seconds without RTP.)
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGTERM');
  });
}

export function spawnFfmpeg(ffmpegPath: string, args: string[], stdio: StdioOptions): FfmpegChild {
  installExitHook();
  const child = spawn(ffmpegPath, args, { stdio });
  live.add(child);
  let tail = '';
  let done = false;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    tail = (tail + text).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (error) => {
      // 'exit' does not follow a failed spawn.
      if (child.pid === undefined) {
        done = true;
        live.delete(child);
        resolve({ code: null, signal: null, error });
      }
    });
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    process: child,
    exited,
    stderrTail: () => tail.trim(),
    get done() {
      return done;
    },
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (!done) child.kill(signal);
    },
  };
}

/** Stops a child and waits for it, escalating to SIGKILL if it lingers. */
export async function stopFfmpeg(child: FfmpegChild, graceMs = 2000): Promise<ChildExit> {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** "exit code 1: <ffmpeg's last line>" — what a person needs to see why it stopped. */
export function describeExit(exit: ChildExit, stderrTail: string): string {
  if (exit.error) return exit.error.message;
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  const lines = stderrTail
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const reason = lines.find((l) => /No space left on device|ENOSPC/i.test(l)) ?? lines[lines.length - 1];
  return reason ? `${how}: ${reason}` : how;
}

/** Runs ffmpeg (or ffprobe) to completion and returns its output; rejects with its log when it fails. */
export async function runTool(path: string, args: string[]): Promise<string>;
export async function runTool(path: string, args: string[], output: 'buffer'): Promise<Buffer>;
export async function runTool(
  path: string,
  args: string[],
  output: 'text' | 'buffer' = 'text',
): Promise<string | Buffer> {
  const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (err = (err + t).slice(-STDERR_TAIL_CHARS)));
  const exit = await new Promise<ChildExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  if (exit.code !== 0) throw new Error(`${path} failed (${describeExit(exit, err)})`);
  const data = Buffer.concat(out);
  return output === 'buffer' ? data : data.toString('utf8');
}

/**
 * A file path as a filtergraph option value. Filtergraph escaping has two levels and
 * differs between ffmpeg versions, so only plain paths are accepted: the composite's
 * scratch folder is one (mkdtemp under the configured parent).
 */
export function filterPath(path: string): string {
  if (!/^[\w./-]+$/.test(path))
    throw new Error(`Scratch paths must be plain (letters, digits, . _ - /): ${path}`);
  return path;
}
