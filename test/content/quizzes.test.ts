// The content self-check: every quiz file loads, every question is sound, and
// every YAML question's reference answer passes while its wrong answers fail.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradeYaml } from '../../src/core/content/quiz-grade.ts';
import { formatQuizProblem, loadQuizBank } from '../../src/core/content/quiz-loader.ts';
import {
  DOMAIN_AREAS,
  DOMAIN_NAMES,
  MODULE_CHECKS,
  MODULE_SECTIONS,
  optionIndex,
  type YamlQuestion,
} from '../../src/core/content/quiz-schema.ts';

const bank = await loadQuizBank();
const singles = bank.questions.filter((q) => q.type === 'single');
const yamlQuestions = bank.questions.filter((q): q is YamlQuestion => q.type === 'yaml');

describe('question banks', () => {
  it('load without problems', () => {
    expect(bank.problems.map(formatQuizProblem)).toEqual([]);
    expect(bank.topics.length).toBeGreaterThanOrEqual(8);
  });

  it('hold at least 80 questions with unique ids', () => {
    expect(bank.questions.length).toBeGreaterThanOrEqual(80);
    const ids = bank.questions.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('link every question to the istio.io page that covers it', () => {
    const without = bank.questions.filter((q) => !q.docs?.startsWith('https://istio.io/')).map((q) => q.id);
    expect(without).toEqual([]);
  });

  it('use neutral ids: the topic and a two-digit number in file order (an id must not name the answer)', () => {
    for (const topic of bank.topics) {
      const ids = bank.questions.filter((q) => q.topic === topic.topic).map((q) => q.id);
      expect(ids).toEqual(ids.map((_, i) => `${topic.topic}-${String(i + 1).padStart(2, '0')}`));
    }
  });

  it('key answers that are among the options', () => {
    for (const q of bank.questions) {
      if (q.type === 'single') expect(optionIndex(q.answer), q.id).toBeLessThan(q.options.length);
      if (q.type === 'multiple') {
        for (const a of q.answers) expect(optionIndex(a), q.id).toBeLessThan(q.options.length);
        expect(q.answers.length, q.id).toBeLessThan(q.options.length);
      }
    }
  });

  it('explain every option', () => {
    for (const q of bank.questions) {
      if (q.type === 'single' || q.type === 'multiple')
        for (const o of q.options) expect(o.why.trim().length, q.id).toBeGreaterThan(10);
      expect(q.explanation.trim().length, q.id).toBeGreaterThan(20);
    }
  });

  it('vary the position of the right option (no position holds more than 40% of single-choice keys)', () => {
    const counts = new Map<string, number>();
    for (const q of singles) if (q.type === 'single') counts.set(q.answer, (counts.get(q.answer) ?? 0) + 1);
    for (const [letter, n] of counts)
      expect(n / singles.length, `position ${letter}`).toBeLessThanOrEqual(0.4);
  });

  it('do not give the answer away by length (the right option is the longest in at most 40%)', () => {
    let longest = 0;
    for (const q of singles) {
      if (q.type !== 'single') continue;
      const lengths = q.options.map((o) => o.text.length);
      if (lengths[optionIndex(q.answer)] === Math.max(...lengths)) longest++;
    }
    expect(longest / singles.length).toBeLessThanOrEqual(0.4);
  });

  it('balance true and false statements (neither above two thirds)', () => {
    const tf = bank.questions.filter((q) => q.type === 'truefalse');
    const trues = tf.filter((q) => q.type === 'truefalse' && q.answer).length;
    expect(trues / tf.length).toBeLessThanOrEqual(2 / 3);
    expect(trues / tf.length).toBeGreaterThanOrEqual(1 / 3);
  });

  it('cover every knowledge check of the module (Q1 to Q11)', () => {
    const covered = new Set(bank.questions.map((q) => q.moduleCheck).filter(Boolean));
    for (const check of MODULE_CHECKS) expect(covered.has(check), check).toBe(true);
  });

  it('turn the knowledge checks that ask for YAML into YAML questions (Q2, Q3, Q10, Q11)', () => {
    for (const check of ['Q2', 'Q3', 'Q10', 'Q11'])
      expect(
        yamlQuestions.some((q) => q.moduleCheck === check),
        check,
      ).toBe(true);
  });

  it('cover every section of the module', () => {
    const covered = new Set(bank.questions.map((q) => q.section));
    for (const section of MODULE_SECTIONS) expect(covered.has(section), section).toBe(true);
  });

  it('use the ICA domain names, with questions on every domain', () => {
    for (const q of bank.questions) expect(DOMAIN_NAMES).toContain(q.domain);
    const count = (domain: string) => bank.questions.filter((q) => q.domain === domain).length;
    expect(count('Traffic Management')).toBeGreaterThanOrEqual(60);
    expect(count('Securing Workloads')).toBeGreaterThanOrEqual(30);
    expect(count('Troubleshooting')).toBeGreaterThanOrEqual(25);
    expect(count('Installation, Upgrades, and Configuration')).toBeGreaterThanOrEqual(25);
  });

  it('are counted per domain in the README as the bank has them', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const count = (domain: string) => bank.questions.filter((q) => q.domain === domain).length;
    const claimed = (pattern: RegExp) => Number(pattern.exec(readme)?.[1]);
    expect(claimed(/Traffic Management \((\d+) questions\)/)).toBe(count('Traffic Management'));
    expect(claimed(/Securing Workloads \((\d+): `mtls`/)).toBe(count('Securing Workloads'));
    expect(claimed(/Troubleshooting \((\d+): `response-flags`/)).toBe(count('Troubleshooting'));
    expect(claimed(/Configuration \((\d+): `install-profiles`/)).toBe(
      count('Installation, Upgrades, and Configuration'),
    );
  });

  it('cover every area of the other domains, each question linking the istio.io page behind it', () => {
    const areas: readonly string[] = DOMAIN_AREAS;
    const onAreas = bank.questions.filter((q) => areas.includes(q.section));
    for (const area of areas)
      expect(
        onAreas.some((q) => q.section === area),
        area,
      ).toBe(true);
    for (const q of onAreas) expect(q.docs, q.id).toMatch(/^https:\/\/istio\.io\/latest\/docs\//);
  });

  it('have every question type', () => {
    const types = new Set(bank.questions.map((q) => q.type));
    expect([...types].sort()).toEqual(['multiple', 'single', 'truefalse', 'yaml']);
  });
});

describe.each(yamlQuestions.map((q) => [q.id, q] as const))('YAML question %s', (_id, q) => {
  it('grades its reference answer correct', () => {
    const grade = gradeYaml(q, q.reference);
    const failed = grade.checks.filter((c) => !c.ok).map((c) => `${c.label}: ${c.detail}`);
    const errors = grade.errors.map((f) => `${f.code} ${f.message}`);
    expect([...failed, ...errors]).toEqual([]);
    expect(grade.correct).toBe(true);
  });

  it('has at least two wrong answers', () => {
    expect(q.wrong.length).toBeGreaterThanOrEqual(2);
  });

  it.each(q.wrong.map((w, i) => [i, w] as const))('grades wrong answer %i wrong', (_i, w) => {
    expect(gradeYaml(q, w.yaml).correct).toBe(false);
  });
});
