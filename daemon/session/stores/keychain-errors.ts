// Maps what @napi-rs/keyring reports (as text: it has no stable error kinds in JS) to DS_KEYCHAIN_* errors.
// Rule: the library's text goes into `cause` only; our message says what happened in our words.

import { DevsecretsError } from "../../../common/errors.js";

// observed with gnome-keyring 42 and @napi-rs/keyring 2.1.2 (see test/integration/session-stores-keychain.test.ts):
//   locked:      "Couldn't access platform storage: Secret Service: unlock prompt was dismissed"
//   no bus:      "Platform failure: DBus error: Failed to connect to socket /nonexistent: No such file or directory"
//   no address:  "Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, ..."
//   no service:  "Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files"
const LOCKED = /unlock prompt|IsLocked|is locked|locked collection/i;

export function keychainError(libraryMessage: string, what: string): DevsecretsError {
  const cause = new Error(libraryMessage);
  if (LOCKED.test(libraryMessage)) {
    return new DevsecretsError("DS_KEYCHAIN_LOCKED", `the keychain is locked (${what})`, { cause });
  }
  if (/Platform failure|DBus error|org\.freedesktop\.secrets|ServiceUnknown|NoReply/i.test(libraryMessage)) {
    return new DevsecretsError("DS_KEYCHAIN_UNAVAILABLE", `no Secret Service answers on D-Bus (${what})`, { cause });
  }
  if (/Ambiguous/i.test(libraryMessage)) {
    return new DevsecretsError("DS_KEYCHAIN_UNAVAILABLE", `more than one keychain item matches (${what})`, {
      cause,
      hint: "remove the duplicate devsecrets items with your keyring manager (e.g. seahorse), then try again",
    });
  }
  return new DevsecretsError("DS_KEYCHAIN_UNAVAILABLE", `the keychain refused the request (${what})`, { cause });
}

export function keychainTimeout(ms: number, what: string): DevsecretsError {
  return new DevsecretsError("DS_KEYCHAIN_UNAVAILABLE", `the keychain did not answer within ${ms} ms (${what})`, {
    hint: "check that your Secret Service (gnome-keyring, KWallet) is running and DBUS_SESSION_BUS_ADDRESS points at its bus, or use `devsecrets login --store memory` or `--store file`",
  });
}
