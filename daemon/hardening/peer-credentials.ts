// Who is on the other end of a Unix socket connection: SO_PEERCRED, checked before the daemon reads a byte.
// Rule: a connection from any uid but the daemon's own is destroyed unserved; the socket modes are the second wall.

import type { Socket } from "node:net";
import {
  peerCredentialsUnavailable,
  readPeerCredentials,
  type PeerCredentials,
} from "../../common/peer-credentials.js";

export type Peer = PeerCredentials;

const peers = new WeakMap<Socket, Peer>();
// the daemon reads its peers on Linux only (elsewhere it relies on the 0700/0600 modes, and says so at start)
const LINUX = process.platform === "linux";

/** "" when peer credentials can be read here; else why not (the daemon then relies on the 0700/0600 modes) */
export function peerCheckUnavailable(): string {
  return LINUX ? peerCredentialsUnavailable() : `not available on ${process.platform}`;
}

function fdOf(socket: Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === "number" ? fd : -1;
}

export type PeerVerdict = { allowed: true; peer: Peer | null } | { allowed: false; peer: Peer | null };

/**
 * Reads the peer of a freshly accepted connection and remembers it for peerOf. Allowed: the same uid, or
 * no way to tell (platform without SO_PEERCRED). Refused: another uid, or a Linux socket whose peer cannot be read.
 */
// the daemon's uid does not change while it runs: asked once, not on every connection
const OWN_UID = typeof process.getuid === "function" ? process.getuid() : null;

export function checkPeer(socket: Socket, ownUid: number | null = OWN_UID): PeerVerdict {
  if (!LINUX || ownUid === null || peerCredentialsUnavailable() !== "") return { allowed: true, peer: null };
  const fd = fdOf(socket);
  const peer = fd >= 0 ? readPeerCredentials(fd) : null;
  if (peer === null) return { allowed: false, peer: null };
  if (peer.uid !== ownUid) return { allowed: false, peer };
  peers.set(socket, peer);
  return { allowed: true, peer };
}

/** the kernel's word on who connected (pid and uid at connect time), or null where it cannot be read */
export function peerOf(socket: Socket | undefined | null): { pid: number; uid: number } | null {
  const peer = socket ? peers.get(socket) : undefined;
  return peer === undefined ? null : { pid: peer.pid, uid: peer.uid };
}
