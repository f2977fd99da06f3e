// Loads every lab under exercises/<NN-topic>/<id>/. A bad lab is reported with its
// path and field; the other labs still load.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { LineIndex, parseYamlStream } from '../config/yaml.ts';
import { packageRoot } from '../paths.ts';
import { type Exercise, exerciseSchema } from './exercise-schema.ts';

export interface LoadedExercise extends Exercise {
  /** the lab's folder */
  dir: string;
  /** the topic folder, e.g. "01-traffic-shifting" */
  topic: string;
  readme: string;
  starterDir: string;
  solutionDir: string;
}

export interface ContentProblem {
  path: string;
  message: string;
}

export interface ExerciseSet {
  exercises: LoadedExercise[];
  problems: ContentProblem[];
}

export function exercisesRoot(): string {
  return join(packageRoot(), 'exercises');
}

/** Formats zod issues as `criteria[0].text: Required`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path
      .map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`))
      .join('');
    return `${path || '(file)'}: ${i.message}`;
  });
}

export function loadExercises(root: string = exercisesRoot()): ExerciseSet {
  const exercises: LoadedExercise[] = [];
  const problems: ContentProblem[] = [];
  if (!existsSync(root)) return { exercises, problems: [{ path: root, message: 'no exercises folder' }] };
  for (const topic of readdirSync(root).sort()) {
    const topicDir = join(root, topic);
    if (!statSync(topicDir).isDirectory()) continue;
    for (const id of readdirSync(topicDir).sort()) {
      const dir = join(topicDir, id);
      if (!statSync(dir).isDirectory()) continue;
      const file = join(dir, 'exercise.yaml');
      const loaded = loadOne(file, dir, topic, id, problems);
      if (loaded) exercises.push(loaded);
    }
  }
  const seen = new Map<string, string>();
  for (const e of exercises) {
    const other = seen.get(e.id);
    if (other)
      problems.push({
        path: join(e.dir, 'exercise.yaml'),
        message: `id: "${e.id}" is also used by ${other}`,
      });
    seen.set(e.id, e.dir);
  }
  const position = (e: LoadedExercise) => e.order ?? Number.MAX_SAFE_INTEGER;
  const kept = exercises
    .filter((e) => seen.get(e.id) === e.dir)
    .sort((a, b) => a.topic.localeCompare(b.topic) || position(a) - position(b) || a.id.localeCompare(b.id));
  return { exercises: kept, problems };
}

function loadOne(
  file: string,
  dir: string,
  topic: string,
  id: string,
  problems: ContentProblem[],
): LoadedExercise | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    problems.push({ path: file, message: 'missing exercise.yaml' });
    return undefined;
  }
  const docs = parseYamlStream(text);
  const doc = docs[0];
  if (!doc || doc.error) {
    const at = doc?.error ? new LineIndex(text).position(doc.error.offset) : undefined;
    problems.push({
      path: at ? `${file}:${at.line}:${at.column}` : file,
      message: doc?.error ? `YAML syntax error: ${doc.error.message}` : 'empty file',
    });
    return undefined;
  }
  const parsed = exerciseSchema.safeParse(doc.value);
  if (!parsed.success) {
    for (const m of formatIssues(parsed.error)) problems.push({ path: file, message: m });
    return undefined;
  }
  const e = parsed.data;
  const local: string[] = [];
  if (e.id !== id) local.push(`id: "${e.id}" must match the folder name "${id}"`);
  const readmePath = join(dir, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  if (!readme.trim()) local.push('README.md: missing or empty');
  const solutionDir = join(dir, 'solution');
  if (!existsSync(solutionDir) || !readdirSync(solutionDir).some((f) => /\.ya?ml$/.test(f))) {
    local.push('solution/: needs at least one YAML file');
  }
  for (const f of e.clusterProvides ?? [])
    if (!existsSync(join(dir, 'starter', f)))
      local.push(`clusterProvides: "${f}" is not a file of starter/ (it names files the learner is given)`);
  const ids = e.criteria.map((c) => c.id);
  if (new Set(ids).size !== ids.length) local.push('criteria: ids must be unique');
  for (const m of local) problems.push({ path: file, message: m });
  if (local.length) return undefined;
  return { ...e, dir, topic, readme, starterDir: join(dir, 'starter'), solutionDir };
}
