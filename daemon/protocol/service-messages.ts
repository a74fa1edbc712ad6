// The sandbox services' routes: `GET /v1/sandbox/services` (what runs) and `POST /v1/sandbox/services/pause` (the
// outage drill). Names, ports, pids and times only, never a password.

/** one running sandbox service */
export interface SandboxServiceInfo {
  /** the service's name: "redis", "postgres" */
  service: string;
  /** the sandbox kind that starts it: "redis/server", "postgres/database" */
  kind: string;
  /** where its loopback proxy listens (no credentials in it) */
  url: string;
  pid: number;
  /** when it became ready (ISO) */
  since: string;
  /** resident memory of its main process in bytes, null when /proc does not tell */
  rssBytes: number | null;
  /** until when (ISO) a pause refuses its connections, null when it serves */
  pausedUntil: string | null;
}

export interface ServicesResponse {
  services: SandboxServiceInfo[];
}

export interface ServicePauseRequest {
  /** the service's name ("redis") or its kind ("redis/server") */
  service: string;
  /** how long its proxy refuses and resets connections: 1 s to 1 h */
  seconds: number;
}

export interface ServicePauseResponse {
  service: string;
  pausedUntil: string;
}
