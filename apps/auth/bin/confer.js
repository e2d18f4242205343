#!/usr/bin/env node
// The operator CLI (`npx confer …`), built from apps/auth/src/cli. Settings come from the
// environment, completed by the repository's .env (written by scripts/setup.sh).
const { join } = require('path');
require('@confer/config').applyDotEnv(join(__dirname, '..', '..', '..', '.env'));
require('../dist/cli/confer.cli.js');
