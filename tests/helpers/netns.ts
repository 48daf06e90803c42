/**
 * A second address of this machine that is really another host as far as IP goes: a network
 * namespace joined to the host by a veth pair (`ip netns`, iproute2, root only). A process run in
 * it (`ip netns exec`) has its own interfaces, routes and loopback: it reaches the host only over
 * the pair, from its own address.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Why namespaces cannot be made here (not root, no `ip`), or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'network namespaces need root (ip netns add)';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'the ip command (iproute2) is missing';
  }
  return null;
}

export interface Netns {
  /** The namespace's name (`ip netns exec <name> …`). */
  name: string;
  /** The host's end of the pair (a server binds it). */
  hostAddress: string;
  /** The namespace's end: where its processes come from. */
  nsAddress: string;
  /** A script that runs `executable` inside the namespace with the arguments it is given. */
  wrapper(executable: string, dir: string): string;
  /** Deletes the pair and the namespace; safe to call twice, or after a partial setup. */
  remove(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/**
 * A namespace and veth pair with names and a /30 of 10.0.0.0/8 unique to this call (several runs,
 * several helpers, may share the machine). On a failure midway what was made is removed.
 */
export function createNetns(): Netns {
  const tag = randomBytes(4).toString('hex');
  const name = `tribune-${process.pid}-${tag}`;
  // Interface names have at most 15 characters.
  const hostIf = `tv${tag}h`;
  const nsIf = `tv${tag}n`;
  const used = ip('-4', '-o', 'addr');
  let subnet: string;
  do {
    const r = randomBytes(2);
    subnet = `10.${200 + (r[0]! % 50)}.${r[1]}`;
  } while (used.includes(`${subnet}.`));
  const hostAddress = `${subnet}.1`;
  const nsAddress = `${subnet}.2`;
  let made = false;
  const remove = () => {
    // Deleting one end of a pair deletes both; the namespace last.
    for (const args of [['link', 'del', hostIf], ['netns', 'del', name]]) {
      try {
        ip(...args);
      } catch {
        // Not made, or gone already.
      }
    }
  };
  try {
    ip('netns', 'add', name);
    made = true;
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf);
    ip('netns', 'exec', name, 'ip', 'link', 'set', nsIf, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    // Its default route goes over the pair, as a phone's goes to the venue's router: Chromium offers
    // candidates only on the interface of its default route (none without one).
    ip('netns', 'exec', name, 'ip', 'route', 'add', 'default', 'via', hostAddress);
  } catch (err) {
    if (made) remove();
    throw err;
  }
  return {
    name,
    hostAddress,
    nsAddress,
    wrapper(executable, dir) {
      const file = path.join(dir, `in-${name}.sh`);
      // exec twice: the program keeps the pipes its launcher gave (playwright talks over fds 3 and 4).
      fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec '${name}' '${executable}' "$@"\n`, { mode: 0o755 });
      return file;
    },
    remove,
  };
}
