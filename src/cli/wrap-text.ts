// CLI text output wrapped at the terminal's width: long lines break at spaces,
// continuing under their own indentation (and under a "why:"-style label), so a
// finding's explanation or a lab's task reads in an 80-column terminal. Output to
// a pipe or file is left alone (scripts and `grep` see whole lines), unless
// COLUMNS is set.

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are what is skipped
const ANSI = /\u001b\[[0-9;]*m/g;

function visible(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

/** The width to wrap at: the terminal's, or COLUMNS; undefined for a pipe or file. */
export function outputWidth(
  stream: NodeJS.WriteStream = process.stdout,
  env = process.env,
): number | undefined {
  if (stream.isTTY && stream.columns) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns >= 20 ? columns : undefined;
}

/** One line, broken at spaces to fit `width`; continuation lines keep the indent (and a short "label:"). */
function wrapLine(line: string, width: number): string[] {
  if (visible(line) <= width) return [line];
  const plain = line.replace(ANSI, '');
  const indent = /^\s*/.exec(plain)?.[0].length ?? 0;
  const label =
    /^\s*(?:(?:Error|Warning|Info)\s+[A-Z]{3}\d{4}|[a-z][a-z ]{0,20}:|[✓✗•!-]|\d+\)|[a-h]\))\s+/.exec(
      plain,
    )?.[0].length ?? indent;
  const hang = label < width / 2 ? label : indent;
  // words, with a `code span` kept as one (a command inside it stays copyable)
  const words = line.match(/(?:^\s+)?(?:[^\s`]*`[^`]*`[^\s`]*|\S)+/g) ?? [line];
  const out: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word;
    // a break right after the label ("at", "docs:") helps nothing: a long path or URL stays beside it
    const onlyLabel =
      visible(current) <= Math.max(label, hang) + 1 || !/\S\s+\S/.test(current.replace(ANSI, '').trim());
    if (current && !onlyLabel && visible(candidate) > width) {
      out.push(current);
      current = `${' '.repeat(hang)}${word.trimStart()}`;
    } else current = candidate;
  }
  if (current) out.push(current);
  return out;
}

/** Markdown-ish lines that start a block of their own (not joined to the line above). */
const BLOCK = /^(?:\s|#|[-*+] |\d+\. |```|>|\||$)/;

/** A line telling the reader a command to run: kept whole, so it can be copied. */
function isCommandLine(line: string): boolean {
  return /\b(?:ica-trainer|kubectl|istioctl) /.test(line.replace(ANSI, '').replace(/`[^`]*`/g, ''));
}

/** Markdown with its paragraphs (and list items) joined into one line each, to be wrapped again. */
export function reflowMarkdown(text: string): string {
  const joined: string[] = [];
  let fenced = false;
  let joinable = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const prose = !fenced && !BLOCK.test(line);
    if (prose && joinable && joined.length) joined[joined.length - 1] += ` ${line}`;
    else joined.push(line);
    joinable = !fenced && line.trim() !== '' && !/^(?:\s|#|```|>|\|)/.test(line);
  }
  return joined.join('\n');
}

/** Text wrapped at `width`; fenced code blocks (```) and command lines stay whole. */
export function wrapText(text: string, width: number | undefined = outputWidth()): string {
  if (!width) return text;
  let fenced = false;
  return text
    .split('\n')
    .flatMap((l) => {
      if (/^\s*```/.test(l.replace(ANSI, ''))) {
        fenced = !fenced;
        return [l];
      }
      return fenced || isCommandLine(l) ? [l] : wrapLine(l, width);
    })
    .join('\n');
}
