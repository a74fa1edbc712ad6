// Request and response bodies of the JWKS routes (GET /v1/sandbox/jwks, POST /v1/sandbox/jwks/serve).
// Rule: public keys only; a JWKS never holds a private member or an HS256 secret.

export interface JwksResponse {
  keys: Record<string, unknown>[];
}

export interface JwksServeRequest {
  /** the loopback port to bind; 0 or absent: a free one */
  port?: number;
}

export interface JwksServeResponse {
  /** http://127.0.0.1:<port>/.well-known/jwks.json */
  url: string;
}
