// Who is on the other end of a connected Unix socket, from the kernel: SO_PEERCRED on Linux, getpeereid on macOS.
// Rule: one reader for both ends (the daemon checks who connected, DaemonClient who listens); never throws, a platform
// without it gets null and the reason. koffi is loaded on the first call only (~10-20 ms), never by the preloads.

import { loadKoffi, loadLibc } from "./native-libc.js";

export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

const SOL_SOCKET = 1;
const SO_PEERCRED = 17;
const UCRED_BYTES = 12;

type Reader = (fd: number) => PeerCredentials | null;
let reader: Reader | null | undefined;
let unavailable = "";

function linuxReader(): Reader | null {
  const { libc, reason } = loadLibc();
  if (libc === null) {
    unavailable = reason;
    return null;
  }
  // struct ucred { pid_t pid; uid_t uid; gid_t gid; } into an Int32Array, in the machine's own byte order:
  // koffi's struct marshalling costs ~5x the call
  const getsockopt = libc.func(
    "int getsockopt(int fd, int level, int name, _Out_ int32_t *val, _Inout_ uint32_t *len)",
  );
  const ucred = new Int32Array(3);
  const length = new Uint32Array(1);
  return (fd) => {
    length[0] = UCRED_BYTES;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, length) !== 0 || length[0] !== UCRED_BYTES) return null;
    return { pid: ucred[0] as number, uid: (ucred[1] as number) >>> 0, gid: (ucred[2] as number) >>> 0 };
  };
}

/** macOS: getpeereid(2) gives the uid and gid, not the pid (pid -1). Written for macOS, untested there (docs/security.md) */
function darwinReader(): Reader | null {
  const getpeereid = loadKoffi()
    .load("libSystem.B.dylib")
    .func("int getpeereid(int fd, _Out_ uint32_t *uid, _Out_ uint32_t *gid)");
  const uid = new Uint32Array(1);
  const gid = new Uint32Array(1);
  return (fd) => (getpeereid(fd, uid, gid) === 0 ? { pid: -1, uid: uid[0] as number, gid: gid[0] as number } : null);
}

function peerReader(): Reader | null {
  if (reader !== undefined) return reader;
  try {
    if (process.platform === "linux") reader = linuxReader();
    else if (process.platform === "darwin") reader = darwinReader();
    else {
      unavailable = `not available on ${process.platform}`;
      reader = null;
    }
  } catch (error) {
    unavailable = `the peer credentials call could not be bound (${(error as Error)?.name ?? "error"})`;
    reader = null;
  }
  return reader;
}

/** "" when peer credentials can be read here; else why not */
export function peerCredentialsUnavailable(): string {
  peerReader();
  return unavailable;
}

/** the peer of a connected socket's descriptor; null when it cannot be read (or not on this platform) */
export function readPeerCredentials(fd: number): PeerCredentials | null {
  const read = peerReader();
  return read === null ? null : read(fd);
}
