// A YAML syntax error after a flow collection left open names the line that opened it.
import { describe, expect, it } from 'vitest';
import { parseYamlStream } from '../../src/core/config/yaml.ts';
import { unclosedFlowLine } from '../../src/core/config/yaml-unclosed.ts';

const errorOf = (text: string) => parseYamlStream(text)[0]?.error?.message;

describe('an unclosed flow collection', () => {
  it('is named in the syntax error js-yaml reports lines later', () => {
    expect(errorOf('kind: VirtualService\nspec:\n  hosts: [reviews\n  gateways: [mesh]\n')).toBe(
      'deficient indentation (is a bracket left open? "hosts: [reviews" opens one that is not closed before here)',
    );
    expect(errorOf('spec:\n  match: {uri: {prefix: /a}\nnext: 1\n')).toContain(
      '"match: {uri: {prefix: /a}" opens one',
    );
  });

  it('is not suspected for brackets inside quotes, comments or plain words, nor for closed ones', () => {
    const text = 'a: "x [ y"\nb: \'{\'\nc: ^/api[0-9] # [ note\nd: [e, {f: g}]\n  h: i\n';
    expect(unclosedFlowLine(text, text.length)).toBeUndefined();
    expect(errorOf(text)).toBe('bad indentation of a mapping entry');
  });

  it('finds the innermost bracket still open', () => {
    const text = 'a: [b, {c: d\n';
    expect(unclosedFlowLine(text, text.length)).toBe('a: [b, {c: d');
    expect(unclosedFlowLine('- [x\n', 5)).toBe('- [x');
  });
});
