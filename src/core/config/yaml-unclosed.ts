// js-yaml reports an unclosed flow collection ("hosts: [reviews" and no "]") where it
// gives up, often lines later and as "deficient indentation" or "unexpected end of the
// stream". This finds the bracket a learner left open, so the message can point at it.

/** Is `[`/`{` at `i` where a flow collection may start (after `: `, `- `, `,`, a bracket or indentation)? */
function opensFlow(text: string, i: number, depth: number): boolean {
  if (depth > 0) return true;
  let j = i - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  if (j < 0 || text[j] === '\n') return true;
  return (text[j] === ':' || text[j] === '-') && j < i - 1;
}

/**
 * The innermost flow bracket opened before `end` and not closed by then, as the trimmed
 * line it is on; undefined when there is none. Quotes and comments are skipped; a block
 * scalar's text may fool it, so callers offer it as a likely cause, not a certainty.
 */
export function unclosedFlowLine(text: string, end: number): string | undefined {
  const open: number[] = [];
  let i = 0;
  while (i < end && i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      // a quote starts a scalar only where a value may start; inside a plain word it is a character
      const prev = i > 0 ? (text[i - 1] as string) : '\n';
      if (/[\s:,[{-]/.test(prev)) {
        i++;
        while (i < end && text[i] !== c && text[i] !== '\n') i += c === '"' && text[i] === '\\' ? 2 : 1;
      }
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < end && text[i] !== '\n') i++;
    } else if ((c === '[' || c === '{') && opensFlow(text, i, open.length)) open.push(i);
    else if ((c === ']' || c === '}') && open.length > 0) open.pop();
    i++;
  }
  const at = open.at(-1);
  if (at === undefined) return undefined;
  const start = text.lastIndexOf('\n', at) + 1;
  const stop = text.indexOf('\n', at);
  const line = text.slice(start, stop < 0 ? undefined : stop).trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
