// Who is on the other end of a Unix socket connection: SO_PEERCRED, checked before the daemon reads a byte.
// Rule: a connection from any uid but the daemon's own is destroyed unserved; the socket modes are the second wall.

import type { Socket } from "node:net";
import { loadLibc } from "./native-libc.js";

export interface Peer {
  pid: number;
  uid: number;
  gid: number;
}

const SOL_SOCKET = 1;
const SO_PEERCRED = 17;
const UCRED_BYTES = 12;

type GetPeer = (fd: number) => Peer | null;
let getPeer: GetPeer | null | undefined;
let unavailable = "";
const peers = new WeakMap<Socket, Peer>();

function peerReader(): GetPeer | null {
  if (getPeer !== undefined) return getPeer;
  const { libc, reason } = loadLibc();
  if (libc === null) {
    unavailable = reason;
    getPeer = null;
    return null;
  }
  try {
    // struct ucred { pid_t pid; uid_t uid; gid_t gid; } into an Int32Array, in the machine's own byte order:
    // koffi's struct marshalling costs ~5x the call
    const getsockopt = libc.func(
      "int getsockopt(int fd, int level, int name, _Out_ int32_t *val, _Inout_ uint32_t *len)",
    );
    const ucred = new Int32Array(3);
    const length = new Uint32Array(1);
    getPeer = (fd) => {
      length[0] = UCRED_BYTES;
      if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, length) !== 0 || length[0] !== UCRED_BYTES) return null;
      return { pid: ucred[0]!, uid: ucred[1]! >>> 0, gid: ucred[2]! >>> 0 };
    };
  } catch (error) {
    unavailable = `getsockopt could not be bound (${(error as Error)?.name ?? "error"})`;
    getPeer = null;
  }
  return getPeer;
}

/** "" when peer credentials can be read here; else why not (the daemon then relies on the 0700/0600 modes) */
export function peerCheckUnavailable(): string {
  peerReader();
  return unavailable;
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
  const read = peerReader();
  if (read === null || ownUid === null) return { allowed: true, peer: null };
  const fd = fdOf(socket);
  const peer = fd >= 0 ? read(fd) : null;
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
