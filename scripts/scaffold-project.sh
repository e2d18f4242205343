#!/usr/bin/env bash
# Creates the build/test/lint wiring of one workspace project.
# usage: scripts/scaffold-project.sh libs/NAME lib|contracts  |  apps/NAME app
set -euo pipefail
dir=$1; kind=$2; name=$(basename "$dir")
mkdir -p "$dir/src"
tag="type:$kind"
pkg="@confer/$name"
[ "$kind" = app ] && pkg="@confer/$name-service"
[ -f "$dir/package.json" ] || cat > "$dir/package.json" <<JSON
{
  "name": "$pkg",
  "version": "0.1.0",
  "private": true,
  "main": "dist/index.js",
  "types": "dist/index.d.ts"
}
JSON
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "../../node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$([ "$kind" = app ] && echo application || echo library)",
  "tags": ["$tag"],
  "targets": {
    "build": { "executor": "nx:run-commands", "options": { "command": "tsc -p $dir/tsconfig.build.json" } },
    "test": { "executor": "nx:run-commands", "options": { "command": "jest -c $dir/jest.config.js" } },
    "lint": { "executor": "nx:run-commands", "options": { "command": "eslint $dir/src" } }
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{ "extends": "../../tsconfig.base.json", "include": ["src/**/*.ts"] }
JSON
cat > "$dir/tsconfig.build.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist", "paths": {}, "tsBuildInfoFile": "dist/.tsbuildinfo", "incremental": true },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts", "src/**/*.fake.ts"]
}
JSON
cat > "$dir/jest.config.js" <<JS
module.exports = { ...require('../../jest.preset.js'), displayName: '$name', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
JS
