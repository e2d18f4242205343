import { readFileSync } from 'fs';
import { join } from 'path';
import { renderAsyncApi } from './render-asyncapi';

describe('docs/asyncapi.yaml', () => {
  it('matches the contracts (run `npm run asyncapi` after changing an event or command)', () => {
    const committed = readFileSync(join(__dirname, '../../../../docs/asyncapi.yaml'), 'utf8');
    expect(committed).toEqual(renderAsyncApi());
  });
});
