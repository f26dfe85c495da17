// Preloaded (`--import`) into every Node process a bench starts. The bench's own handlers cannot
// stop its children when it dies hard — a V8 "heap out of memory" abort or a SIGKILL runs no
// JavaScript — so each child watches the pipe on its stdin instead: the kernel closes it whatever
// way the bench ends, and the child then takes down itself and its process group.
import { fstatSync } from 'node:fs';

const GRACE_MS = 10_000;

let gone = false;
function parentGone(): void {
  if (gone) return;
  gone = true;
  // Output piped to the bench now has no reader: a write must not turn the clean stop into an EPIPE crash.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  console.error(`[bench child ${process.pid}] the bench that started this process is gone: stopping`);
  // A bench starts each child as the leader of its own group, so -pid is this child and its own children.
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-process.pid, signal);
    } catch {
      process.kill(process.pid, signal);
    }
  };
  setTimeout(() => group('SIGKILL'), GRACE_MS).unref();
  group('SIGTERM');
}

// Only a pipe (Node's are socket pairs) says anything about the bench: a terminal or /dev/null on
// stdin, the file run by hand, would not.
const stdinKind = fstatSync(0);
if (stdinKind.isFIFO() || stdinKind.isSocket()) {
  const stdin = process.stdin;
  stdin.on('end', parentGone);
  stdin.on('close', parentGone);
  stdin.on('error', parentGone);
  stdin.resume();
  // Watching must not keep a child alive that has otherwise finished.
  stdin.unref();
}
