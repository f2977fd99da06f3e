// Counts in words: "1 task", "2 tasks", "1 criterion", "3 criteria".
const IRREGULAR: Record<string, string> = { criterion: 'criteria', retry: 'retries' };

/** `n word`, with the word's plural when n is not 1. */
export function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : (IRREGULAR[word] ?? `${word}s`)}`;
}
