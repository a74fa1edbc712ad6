// The dashboard's HTML: a shell that loads the bundled script and stylesheet (daemon/ui/page/, built by esbuild into
// dist/daemon/ui/assets) from the daemon itself.
// Rule: no inline script or style (the CSP forbids them) and no outside origin; the page fetches its data.

import { existsSync, readFileSync } from "node:fs";
import { DevsecretsError } from "../../common/errors.js";

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>devsecrets</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<header class="top"><h1>devsecrets</h1><p id="state" role="status" aria-live="polite">loading…</p></header>
<main id="app"></main>
</body>
</html>
`;

export interface PageAssets {
  "app.js": Buffer;
  "app.css": Buffer;
}

/** the bundled page, read once when the listener opens */
/** beside this module in dist/daemon/ui/, or from the daemon's bundle in dist/bundle/daemon/ (scripts/build.mjs) */
function assetsDir(): URL {
  const candidates = ["./assets/", "../../daemon/ui/assets/"].map((relative) => new URL(relative, import.meta.url));
  return candidates.find((url) => existsSync(url)) ?? (candidates[0] as URL);
}

export function readPageAssets(dir = assetsDir()): PageAssets {
  try {
    return {
      "app.js": readFileSync(new URL("app.js", dir)),
      "app.css": readFileSync(new URL("app.css", dir)),
    };
  } catch (error) {
    throw new DevsecretsError(
      "DS_INTERNAL",
      "the dashboard's page is missing from this install (dist/daemon/ui/assets)",
      {
        hint: "run `npm run build` in a checkout, or reinstall devsecrets",
        cause: error,
      },
    );
  }
}
