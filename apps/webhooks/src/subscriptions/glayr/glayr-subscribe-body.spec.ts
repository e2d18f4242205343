import { glayrSubscribeBody } from './glayr-subscribe-body';

describe('Glayr subscribe body', () => {
  it('takes a JSON body as it is', () => {
    expect(glayrSubscribeBody({ api_endpoint: 'https://a.example/x' })).toEqual({
      api_endpoint: 'https://a.example/x',
    });
  });

  it('reads the JSON text curl -d sends as a lone form key', () => {
    expect(glayrSubscribeBody({ '{"api_endpoint": "https://a.example/x"}': '' })).toEqual({
      api_endpoint: 'https://a.example/x',
    });
  });

  it('puts back a URL the form parser split at & and =', () => {
    expect(glayrSubscribeBody({ '{"api_endpoint": "https://a.example/x?a': '1', b: '2"}' })).toEqual({
      api_endpoint: 'https://a.example/x?a=1&b=2',
    });
  });

  it('leaves anything else for the field check to refuse', () => {
    expect(glayrSubscribeBody({ other: 'x' })).toEqual({ other: 'x' });
    expect(glayrSubscribeBody({ '{not json': '' })).toEqual({ '{not json': '' });
    expect(glayrSubscribeBody(null)).toEqual({});
  });
});
