// DaemonClient's second check before it sends (DESIGN "Client checks"): the kernel says which uid listens on the
// connected socket (SO_PEERCRED; getpeereid on macOS), and it must be the caller's.
// Rule: called between connect and the first write, by every transport (SocketRequest.checkListener); a refusal is
// DS_SOCKET_UNSAFE and nothing is sent. The preloads do not use it (built-ins only: their folder check covers them).

import { peerCredentialsUnavailable, readPeerCredentials } from "../../common/peer-credentials.js";
import { socketUnsafe } from "./socket-check.js";

export type ListenerCheck = (fd: number, socket: string) => void;

/**
 * the check of a connected descriptor, or undefined where this platform cannot read peer credentials (no koffi, or
 * no call for it): the folder check then stands alone, as it does for the daemon (docs/security.md)
 */
export function listenerCheck(ownUid: number | null = process.getuid?.() ?? null): ListenerCheck | undefined {
  if (ownUid === null || peerCredentialsUnavailable() !== "") return undefined;
  return (fd, socket) => {
    const peer = fd >= 0 ? readPeerCredentials(fd) : null;
    if (peer === null) throw socketUnsafe(`who listens on ${socket} cannot be checked (no peer credentials)`);
    if (peer.uid !== ownUid)
      throw socketUnsafe(`the daemon on ${socket} runs as uid ${peer.uid}, not as you (uid ${ownUid})`);
  };
}
