import { writeFileSync } from 'fs';
import { renderAsyncApi } from './render-asyncapi';

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: generate.js <output.yaml>\n');
  process.exit(2);
}
writeFileSync(target, renderAsyncApi());
process.stdout.write(`wrote ${target}\n`);
