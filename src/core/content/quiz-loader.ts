// Loads the question banks (quizzes/*.yaml). Every file and every question is
// validated on its own: a bad question or file is reported with its path and
// field (`quizzes/x.yaml: questions[3].answer: Required`) and the rest loads.
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { formatPath } from '../config/resource.ts';
import { LineIndex, offsetOfPath, parseYamlStream, type YamlDocument } from '../config/yaml.ts';
import { answerProblems, type Question, questionSchema, quizFileSchema } from './quiz-schema.ts';

export interface QuizProblem {
  /** the file as shown to the user (relative to the working directory when inside it) */
  file: string;
  /** `questions[3].answer`, or '' for the whole file */
  field: string;
  message: string;
  line?: number;
}

export interface QuizTopic {
  topic: string;
  title: string;
  description?: string;
  file: string;
  questions: Question[];
}

export interface QuizBank {
  topics: QuizTopic[];
  questions: Question[];
  byId: Map<string, Question>;
  problems: QuizProblem[];
}

/** `quizzes/x.yaml: questions[3].answer: Required (line 42)` */
export function formatQuizProblem(p: QuizProblem): string {
  return `${p.file}: ${p.field ? `${p.field}: ` : ''}${p.message}${p.line ? ` (line ${p.line})` : ''}`;
}

/** The quizzes/ folder shipped with the package (found upwards from this module). */
export function defaultQuizDir(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 6; i++) {
    const candidate = new URL('quizzes/', dir);
    const pkg = new URL('package.json', dir);
    if (existsSync(fileURLToPath(candidate)) && existsSync(fileURLToPath(pkg))) {
      try {
        const name = (JSON.parse(readFileSync(fileURLToPath(pkg), 'utf8')) as { name?: string }).name;
        if (name === 'ica-trainer') return fileURLToPath(candidate);
      } catch {
        // keep looking upwards
      }
    }
    dir = new URL('..', dir);
  }
  return fileURLToPath(new URL('../../../quizzes/', import.meta.url));
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Loads every *.yaml / *.yml file of a folder (default: the shipped quizzes/). */
export async function loadQuizBank(
  dir: string = process.env.ICA_TRAINER_QUIZZES ?? defaultQuizDir(),
): Promise<QuizBank> {
  const bank: QuizBank = { topics: [], questions: [], byId: new Map(), problems: [] };
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (e) {
    bank.problems.push({
      file: displayPath(dir),
      field: '',
      message: `cannot read the quiz folder: ${(e as Error).message}`,
    });
    return bank;
  }
  for (const name of names) {
    const path = join(dir, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      bank.problems.push({
        file: displayPath(path),
        field: '',
        message: `cannot read: ${(e as Error).message}`,
      });
      continue;
    }
    addQuizText(bank, text, displayPath(path));
  }
  return bank;
}

/** Parses one quiz file's text into the bank (exported for tests). */
export function addQuizText(bank: QuizBank, text: string, file: string): void {
  const problem = (field: string, message: string, line?: number) =>
    bank.problems.push({ file, field, message, ...(line ? { line } : {}) });
  const lines = new LineIndex(text);
  let doc: YamlDocument | undefined;
  try {
    const docs = parseYamlStream(text).filter((d) => d.error || (d.value !== null && d.value !== undefined));
    if (docs.length > 1) problem('', 'holds several YAML documents; a quiz file holds one');
    doc = docs[0];
    if (doc?.error) {
      problem('', `YAML syntax error: ${doc.error.message}`, lines.position(doc.error.offset).line);
      return;
    }
  } catch (e) {
    problem('', `YAML syntax error: ${(e as Error).message}`);
    return;
  }
  if (!doc) {
    problem('', 'is empty');
    return;
  }
  const current = doc;
  const lineOf = (path: (string | number)[]) => lines.position(offsetOfPath(current, path)).line;
  const parsed = quizFileSchema.safeParse(doc.value, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = cleanPath(issue.path);
      problem(formatPath(path), issueText(issue), lineOf(path));
    }
    return;
  }
  const spec = parsed.data;
  const stem = basename(file).replace(/\.ya?ml$/i, '');
  if (spec.topic !== stem) {
    problem('topic', `is "${spec.topic}" but the file is named ${basename(file)}`, lineOf(['topic']));
  }
  const topic: QuizTopic = {
    topic: spec.topic,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    file,
    questions: [],
  };
  spec.questions.forEach((raw, i) => {
    const at = (rest: (string | number)[]) => ['questions', i, ...rest];
    const result = questionSchema.safeParse(raw, { reportInput: true });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = at(cleanPath(issue.path));
        problem(formatPath(path), issueText(issue), lineOf(path));
      }
      return;
    }
    const extra = answerProblems(result.data);
    if (extra.length) {
      for (const p of extra) problem(formatPath(at(p.path)), p.message, lineOf(at(p.path)));
      return;
    }
    const q = { ...result.data, topic: spec.topic, file } as Question;
    const dup = bank.byId.get(q.id);
    if (dup) {
      problem(formatPath(at(['id'])), `"${q.id}" is already used in ${dup.file}`, lineOf(at(['id'])));
      return;
    }
    bank.byId.set(q.id, q);
    bank.questions.push(q);
    topic.questions.push(q);
  });
  bank.topics.push(topic);
}

function cleanPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.filter((p): p is string | number => typeof p !== 'symbol');
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys' && issue.input === undefined) return 'Required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return options
        ? `must be one of ${options.map((v) => JSON.stringify(v)).join(', ')}`
        : 'matches none of the allowed forms';
    }
    default:
      return issue.message;
  }
}
