// Text that reaches a terminal: values from YAML are shown, never obeyed (a value
// holding ESC [2J or a carriage return must not clear or rewrite the learner's
// screen), and commands printed for copy and paste survive the paste (a folder
// named `my labs; rm -rf ~` is one quoted argument).

// C0 controls but tab, DEL, C1 controls, and the bidirectional overrides that reorder
// what is shown (U+202A-U+202E, U+2066-U+2069)
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` with control characters and terminal escapes written as visible `\xNN` escapes. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, escapeOne);
}

/** One shell word: unchanged when safe, else single-quoted (POSIX sh, bash, zsh). */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
