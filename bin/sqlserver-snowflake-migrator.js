#!/usr/bin/env node
// The installed command: runs the TypeScript CLI through tsx's loader, so it works straight from a clone
// after `npm ci` (no build step). Output is the CLI's own, unlike `npm run`, which adds its banner.
require('tsx/cjs/api').register();
require('../src/client.ts');
