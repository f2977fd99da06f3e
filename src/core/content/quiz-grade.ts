// Grading an answer to any question type. Choice answers are option letters;
// "write the YAML" answers are graded by the analyzer (any Error finding makes
// the answer wrong) plus the question's own checks.
import { analyzeLoaded } from '../analysis/analyze.ts';
import { type Finding, failsGrading } from '../analysis/finding.ts';
import { type LoadResult, loadText } from '../config/load.ts';
import { optionIndex, optionLetter, type Question, type YamlQuestionSpec } from './quiz-schema.ts';
import { type CheckResult, runChecks } from './yaml-checks.ts';

/** A learner's answer, parsed. */
export type Answer =
  | { type: 'choice'; letters: string[] }
  | { type: 'boolean'; value: boolean }
  | { type: 'yaml'; text: string; file: string };

export interface ChoiceGrade {
  kind: 'choice';
  correct: boolean;
  chosen: string[];
  keyed: string[];
}
export interface BooleanGrade {
  kind: 'boolean';
  correct: boolean;
  chosen: boolean;
  keyed: boolean;
}
export interface YamlGrade {
  kind: 'yaml';
  correct: boolean;
  /** Error findings (each makes the answer wrong) */
  errors: Finding[];
  /** Warning and Info findings (shown, not counted) */
  notes: Finding[];
  checks: CheckResult[];
}
export type Grade = ChoiceGrade | BooleanGrade | YamlGrade;

export class AnswerFormatError extends Error {}

/** The keyed letters of a choice question. */
export function keyedLetters(q: Question): string[] {
  if (q.type === 'single') return [q.answer];
  if (q.type === 'multiple') return [...q.answers].sort();
  return [];
}

/** Parses "b", "a,c" (also "a c", "AC") or "true"/"false" for a question; YAML answers are read by the caller. */
export function parseChoiceAnswer(q: Question, raw: string): Answer {
  const text = raw.trim().toLowerCase();
  if (q.type === 'truefalse') {
    if (['true', 't', 'yes', 'y'].includes(text)) return { type: 'boolean', value: true };
    if (['false', 'f', 'no', 'n'].includes(text)) return { type: 'boolean', value: false };
    throw new AnswerFormatError(`answer "${raw}" to ${q.id}: expected true or false`);
  }
  if (q.type === 'yaml')
    throw new AnswerFormatError(`${q.id} is a YAML question: answer with a file path or "-"`);
  const parts = /^[a-h]+$/.test(text) ? [...text] : text.split(/[\s,]+/).filter(Boolean);
  const last = optionLetter(q.options.length - 1);
  const bad = parts.filter((p) => !/^[a-h]$/.test(p) || optionIndex(p) >= q.options.length);
  if (parts.length === 0 || bad.length)
    throw new AnswerFormatError(
      `answer "${raw}" to ${q.id}: expected ${q.type === 'single' ? 'one option letter' : 'option letters such as a,c'} from a to ${last}`,
    );
  const letters = [...new Set(parts)].sort();
  if (q.type === 'single' && letters.length > 1)
    throw new AnswerFormatError(
      `${q.id} has exactly one right option: answer with one letter from a to ${last}`,
    );
  return { type: 'choice', letters };
}

export function gradeAnswer(q: Question, answer: Answer): Grade {
  if (q.type === 'yaml') {
    if (answer.type !== 'yaml') throw new AnswerFormatError(`${q.id} expects YAML`);
    return gradeYaml(q, answer.text, answer.file);
  }
  if (q.type === 'truefalse') {
    if (answer.type !== 'boolean') throw new AnswerFormatError(`${q.id} expects true or false`);
    return { kind: 'boolean', correct: answer.value === q.answer, chosen: answer.value, keyed: q.answer };
  }
  if (answer.type !== 'choice') throw new AnswerFormatError(`${q.id} expects option letters`);
  const keyed = keyedLetters(q);
  const chosen = [...answer.letters].sort();
  return {
    kind: 'choice',
    correct: chosen.length === keyed.length && chosen.every((l, i) => l === keyed[i]),
    chosen,
    keyed,
  };
}

/**
 * The YAML syntax errors of an answer (ICA0001), as "file:line:column: message".
 * An answer that does not parse is not a wrong answer: it is not graded or
 * rated, and the learner edits it again.
 */
export function yamlSyntaxErrors(g: Grade): string[] {
  if (g.kind !== 'yaml') return [];
  return g.errors
    .filter((f) => f.code === 'ICA0001')
    .map((f) => {
      const where = [f.file ?? 'answer', f.line, f.column].filter((x) => x !== undefined).join(':');
      return `${where}: ${f.message}`;
    });
}

/** Grades YAML text against a question: analyzer Errors and the question's checks. */
export function gradeYaml(
  q: Pick<YamlQuestionSpec, 'setup' | 'checks'>,
  text: string,
  file = 'answer.yaml',
): YamlGrade {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  if (q.setup) loadText(q.setup, 'given.yaml', load);
  loadText(text, file, load);
  const { findings, snapshot } = analyzeLoaded(load, {});
  const errors = findings.filter(failsGrading);
  const notes = findings.filter((f) => !failsGrading(f));
  const checks = runChecks(snapshot, q.checks);
  return { kind: 'yaml', correct: errors.length === 0 && checks.every((c) => c.ok), errors, notes, checks };
}
