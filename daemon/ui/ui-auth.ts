// Who may use the dashboard: a one-time token (printed by `devsecrets ui`, 60 s, single use) is exchanged for an
// HttpOnly, SameSite=Strict cookie; every action also carries that cookie's own CSRF header.
// Rule: secrets compared in constant time (equalSecrets); a token dies at its first use, valid or not for the page.

import { randomBytes } from "node:crypto";
import { equalSecrets } from "../hardening/constant-time.js";

export const TOKEN_LIFE_MS = 60_000;
export const CSRF_HEADER = "x-devsecrets-csrf";

interface PendingToken {
  token: string;
  expiresAt: number;
}

interface CookieSession {
  cookie: string;
  csrf: string;
}

function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export class UiAuth {
  #tokens: PendingToken[] = [];
  #sessions: CookieSession[] = [];

  constructor(readonly cookieName: string) {}

  /** a new one-time token; older ones stay valid until used or expired */
  issueToken(now = Date.now()): { token: string; expiresAt: number } {
    const pending = { token: randomToken(), expiresAt: now + TOKEN_LIFE_MS };
    this.#tokens = this.#tokens.filter((t) => t.expiresAt > now);
    this.#tokens.push(pending);
    return pending;
  }

  /** trades a live token for a cookie session (and forgets the token); null for a wrong, used or expired token */
  exchange(token: string | null, now = Date.now()): CookieSession | null {
    if (!token) return null;
    let found: PendingToken | null = null;
    for (const pending of this.#tokens) if (equalSecrets(pending.token, token)) found = pending;
    if (!found) return null;
    this.#tokens = this.#tokens.filter((t) => t !== found);
    if (found.expiresAt <= now) return null;
    const session = { cookie: randomToken(), csrf: randomToken() };
    this.#sessions.push(session);
    return session;
  }

  /** the cookie session the request's Cookie header names, or null */
  sessionOf(cookieHeader: string | undefined): CookieSession | null {
    const value = readCookie(cookieHeader, this.cookieName);
    if (!value) return null;
    let found: CookieSession | null = null;
    for (const session of this.#sessions) if (equalSecrets(session.cookie, value)) found = session;
    return found;
  }

  /** whether the CSRF header matches the cookie session's */
  csrfMatches(session: CookieSession, header: string | string[] | undefined): boolean {
    return typeof header === "string" && header !== "" && equalSecrets(session.csrf, header);
  }

  setCookieHeader(session: CookieSession): string {
    return `${this.cookieName}=${session.cookie}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** every token and cookie dies (the listener closes) */
  forget(): void {
    this.#tokens = [];
    this.#sessions = [];
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}
