#!/usr/bin/env node
// The installed entry point: everything lives in dist/cli/main.js (run `npm run build` in a checkout).
import "../dist/cli/main.js";
