#!/usr/bin/env node
// The operator CLI (`npx confer …`), built from apps/auth/src/cli.
require('../dist/cli/confer.cli.js');
