import secureJson from 'secure-json-parse';
import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './json-body';

/** Fastify's default JSON parsing (secure-json-parse, poisoning refused) is the oracle. */
const fastifyDefault = (text: string) => secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }) as unknown;
const outcome = (parse: (text: string) => unknown, text: string) => {
  try {
    return { value: parse(text) };
  } catch (error) {
    return { error: (error as Error).name };
  }
};

describe('JSON bodies', () => {
  const bodies = [
    '{"basket":{"lines":[{"prod":"P1","quantity":2}]}}',
    '\ufeff{"basket":{"lines":[{"prod":"P1"}]}}',
    '{"__proto__":{"admin":true}}',
    '{"basket":{"lines":[{"prod":"a","__proto__":{"x":1}}]}}',
    '{"\\u005f_proto__":{"admin":true}}',
    '{"\\u005F\\u005Fproto\\u005F\\u005F":1}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"a":[{"b":{"constructor":{"prototype":null}}}]}',
    '{"constructor":1}',
    '{"constructor":{"name":"x"}}',
    '{"prod":"constructor","p10":"__proto__"}',
    '{"note":"caf\\u00e9"}',
    '[1,2,{"__proto__":[]}]',
    '"just a string"',
    '{"basket":',
    'null',
  ];
  it.each(bodies)('%s: parsed or refused as Fastify would', (text) => {
    expect(outcome(parseJsonBody, text)).toEqual(outcome(fastifyDefault, text));
  });
});
