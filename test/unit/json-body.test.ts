import { expect } from 'chai';
import { MAX_JSON_DEPTH, shapeProblem } from '../../api/body';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON bodies: the shape checked before JSON.parse', () => {
  it('lets well-formed bodies through, whatever their strings hold', () => {
    for (const body of [
      '{}',
      '[]',
      '"just a string"',
      '{"reminders":[{"amount":5,"unit":"working_days"},{"amount":1,"unit":"working_days"}]}',
      '{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}',
      '{"statement":"brackets [[[[{{{{ and \\"quotes\\" and a colon\\": inside"}',
      '{"a" : 1, "b"\n:\t2}',
      nested(MAX_JSON_DEPTH),
    ]) {
      expect(shapeProblem(body), body).to.equal(undefined);
    }
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, in arrays and objects alike`, () => {
    expect(shapeProblem(nested(MAX_JSON_DEPTH + 1))).to.match(/nested deeper/);
    expect(shapeProblem(`{"statement":${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}}`)).to.match(/nested deeper/);
  });

  it('refuses an object that names a key twice, however the key is escaped', () => {
    expect(shapeProblem('{"position":"concede","position":"contest"}')).to.match(/"position" appears twice/);
    expect(shapeProblem('{"a":1,"\\u0061":2}')).to.match(/"a" appears twice/);
    expect(shapeProblem('{"__proto__":{},"__proto__":{}}')).to.match(/"__proto__" appears twice/);
    expect(shapeProblem('{"x":{"a":1,"b":{"c":1},"a":2}}')).to.match(/"a" appears twice/);
  });

  it('leaves syntax errors to JSON.parse', () => {
    for (const body of ['{"a":', '{"unterminated', '{"bad escape \\x":1}', ']]]', '']) expect(shapeProblem(body), body).to.equal(undefined);
  });
});
