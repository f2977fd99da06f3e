import { describe, expect, it } from 'vitest';
import type { LoadedExercise } from '../../src/core/content/exercise-loader.ts';
import { type Domain, ICA_DOMAINS, type Question } from '../../src/core/content/quiz-schema.ts';
import { scoreLabTask } from '../../src/core/exam/grade.ts';
import { allocate, assembleExam, coverageNote, standIns, taskPoints } from '../../src/core/exam/plan.ts';
import { scoreExam } from '../../src/core/exam/score.ts';
import {
  examReducer,
  formatRemaining,
  remainingMs,
  startSession,
  timeUp,
} from '../../src/core/exam/session.ts';

const lab = (id: string, domain: Domain, difficulty = 'intermediate') =>
  ({ id, title: id, domain, difficulty }) as unknown as LoadedExercise;
const question = (id: string, domain: Domain) =>
  ({ id, prompt: `Question ${id}?`, domain, type: 'single' }) as unknown as Question;

const labs = [
  ...Array.from({ length: 10 }, (_, i) => lab(`tm-${i}`, 'Traffic Management')),
  ...Array.from({ length: 6 }, (_, i) => lab(`ts-${i}`, 'Troubleshooting')),
];
const questions = [
  ...Array.from({ length: 20 }, (_, i) => question(`q-tm-${i}`, 'Traffic Management')),
  ...Array.from({ length: 5 }, (_, i) => question(`q-sec-${i}`, 'Securing Workloads')),
];

describe('exam plan', () => {
  it('splits tasks over the domains with content, by curriculum weight', () => {
    const m = allocate(
      11,
      new Map<Domain, number>([
        ['Traffic Management', 50],
        ['Troubleshooting', 50],
      ]),
    );
    // 35 : 20 of 11 tasks
    expect(m.get('Traffic Management')).toBe(7);
    expect(m.get('Troubleshooting')).toBe(4);
    const capped = allocate(
      10,
      new Map<Domain, number>([
        ['Traffic Management', 50],
        ['Troubleshooting', 1],
      ]),
    );
    expect(capped.get('Troubleshooting')).toBe(1);
    expect(capped.get('Traffic Management')).toBe(9);
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = assembleExam(labs, questions, { seed: 3, labs: 8, questions: 6, now: new Date(0) });
    const b = assembleExam(labs, questions, { seed: 3, labs: 8, questions: 6, now: new Date(0) });
    const c = assembleExam(labs, questions, { seed: 4, labs: 8, questions: 6, now: new Date(0) });
    expect(a).toEqual(b);
    expect(a.tasks.map((t) => t.id)).not.toEqual(c.tasks.map((t) => t.id));
    expect(a.tasks.filter((t) => t.kind === 'lab')).toHaveLength(8);
    expect(a.tasks.filter((t) => t.kind === 'question')).toHaveLength(6);
    expect(new Set(a.tasks.map((t) => t.id)).size).toBe(a.tasks.length);
  });

  it('by default draws 17 performance tasks over the domains with labs, by curriculum weight', () => {
    const plan = assembleExam(labs, questions, { seed: 1 });
    const labTasks = plan.tasks.filter((t) => t.kind === 'lab');
    expect(labTasks).toHaveLength(16); // every lab there is: 10 + 6
    const many = [
      ...Array.from({ length: 30 }, (_, i) => lab(`tm-${i}`, 'Traffic Management')),
      ...Array.from({ length: 30 }, (_, i) => lab(`ts-${i}`, 'Troubleshooting')),
    ];
    const full = assembleExam(many, questions, { seed: 1 });
    const count = (d: Domain) => full.tasks.filter((t) => t.kind === 'lab' && t.domain === d).length;
    // 35 : 20 of 17
    expect(count('Traffic Management')).toBe(11);
    expect(count('Troubleshooting')).toBe(6);
  });

  it('lets quick questions stand in only for the share of domains without labs, and says so', () => {
    // of 17 tasks, Securing Workloads' share (25%) is 4; Installation (20%) has no content at all
    expect(
      standIns(17, new Map<Domain, number>([['Traffic Management', 30]])).get('Securing Workloads'),
    ).toBe(4);
    const plan = assembleExam(labs, questions, { seed: 1 });
    const sec = plan.tasks.filter((t) => t.domain === 'Securing Workloads');
    expect(sec.length).toBe(4);
    expect(sec.every((t) => t.kind === 'question' && t.weight === 1)).toBe(true);
    expect(plan.tasks.some((t) => t.kind === 'question' && t.domain === 'Traffic Management')).toBe(false);
    const text = coverageNote(plan);
    expect(text).toMatch(/Securing Workloads 4 questions/);
    expect(text).toMatch(/No performance tasks yet for Securing Workloads/);
    expect(text).toMatch(
      /Not in this exam: Installation, Upgrades, and Configuration \(20%\): not tested and not scored/,
    );
    expect(text).not.toMatch(/Not in this exam: .*Troubleshooting/);
  });

  it('the "no content" header names exactly the domains without a task in the draw', () => {
    // Troubleshooting has labs, but an exam of 1 task cannot reach it: the header must say so
    const plan = assembleExam(labs, questions, { seed: 1, labs: 1, questions: 0 });
    expect(plan.tasks).toHaveLength(1);
    const text = coverageNote(plan);
    // those domains have labs: the header must not claim the trainer has no content for them
    expect(text).not.toMatch(/No content for/);
    for (const c of plan.coverage) {
      const missing = new RegExp(`Not in this exam: [^:]*${c.domain}`).test(text);
      expect(missing, c.domain).toBe(c.tasks === 0);
    }
  });

  it('draws the labs the learner has passed or revealed last', () => {
    const seen = new Set(
      labs
        .filter((l) => l.domain === 'Traffic Management')
        .slice(0, 7)
        .map((l) => l.id),
    );
    for (const seed of [1, 2, 3]) {
      const plan = assembleExam(labs, questions, { seed, labs: 5, questions: 0, seen });
      const drawn = plan.tasks.filter((t) => t.domain === 'Traffic Management').map((t) => t.id);
      expect(drawn.length).toBe(3);
      expect(drawn.filter((id) => seen.has(id))).toEqual([]);
    }
  });
});

describe('exam session', () => {
  const plan = assembleExam(labs, questions, { seed: 1, minutes: 10 });

  it('navigates, flags, skips and answers; nothing changes after submit', () => {
    let s = startSession(plan, 0);
    s = examReducer(s, { type: 'next' });
    s = examReducer(s, { type: 'toggle-flag' });
    s = examReducer(s, { type: 'skip' });
    expect(s.current).toBe(1);
    expect(s.tasks[1]).toEqual({ status: 'skipped', flagged: true });
    s = examReducer(s, { type: 'answer', index: 9, answer: 'b' });
    s = examReducer(s, { type: 'skip', index: 9 });
    expect(s.tasks[9]).toMatchObject({ status: 'answered', answer: 'b' });
    s = examReducer(s, { type: 'prev' });
    s = examReducer(s, { type: 'prev' });
    expect(s.current).toBe(0);
    s = examReducer(s, { type: 'goto', index: 999 });
    expect(s.current).toBe(plan.tasks.length - 1);
    s = examReducer(s, { type: 'submit' });
    expect(examReducer(s, { type: 'answer', answer: 'c' })).toBe(s);
  });

  it('counts down and ends', () => {
    const s = startSession(plan, 1_000);
    expect(remainingMs(s, 1_000)).toBe(600_000);
    expect(formatRemaining(remainingMs(s, 61_500))).toBe('09:00');
    expect(timeUp(s, 601_000)).toBe(true);
    expect(remainingMs(s, 700_000)).toBe(0);
  });
});

describe('exam score', () => {
  it("weights each domain by the curriculum: a lone question carries its domain's 25%, scaled over the domains the exam has", () => {
    const plan = assembleExam(labs, questions, { seed: 2, labs: 8, questions: 0 });
    const withOne = {
      ...plan,
      tasks: [
        ...plan.tasks,
        {
          index: plan.tasks.length,
          kind: 'question' as const,
          id: 'q-sec-0',
          title: 'q',
          domain: 'Securing Workloads' as const,
          weight: 1,
        },
      ],
    };
    const only = scoreExam(withOne, [{ index: plan.tasks.length, score: 1, detail: '' }]);
    // Traffic Management 35, Securing Workloads 25, Troubleshooting 20 of 80: Installation has no task
    expect(only.percent).toBe(31.3);
    expect(only.points).toBe(100);
    expect(only.notScored).toEqual(['Installation, Upgrades, and Configuration']);
  });

  it('scores each covered domain by its share of the points and leaves the others unscored', () => {
    const plan = assembleExam(labs, questions, { seed: 2, labs: 8, questions: 6 });
    const outcomes = plan.tasks.map((t) => ({
      index: t.index,
      score: t.domain === 'Traffic Management' ? 1 : 0,
      detail: '',
    }));
    const score = scoreExam(plan, outcomes);
    const tm = score.domains.find((d) => d.domain === 'Traffic Management');
    const ts = score.domains.find((d) => d.domain === 'Troubleshooting');
    const inst = score.domains.find((d) => d.domain === 'Installation, Upgrades, and Configuration');
    expect(tm?.percent).toBe(100);
    expect(ts?.percent).toBe(0);
    expect(inst?.percent).toBeUndefined();
    // 35 of the 80 points of the three domains the exam has
    expect(score.percent).toBeCloseTo(43.8, 1);
    expect(score.notScored).toEqual(['Installation, Upgrades, and Configuration']);
    expect(score.passed).toBe(false);
    expect(
      scoreExam(
        plan,
        plan.tasks.map((t) => ({ index: t.index, score: 1, detail: '' })),
      ).passed,
    ).toBe(true);
  });

  const fourDomains = [
    ...Array.from({ length: 12 }, (_, i) =>
      lab(`tm-${i}`, 'Traffic Management', ['beginner', 'intermediate', 'advanced'][i % 3]),
    ),
    ...Array.from({ length: 8 }, (_, i) =>
      lab(`sec-${i}`, 'Securing Workloads', i % 2 ? 'advanced' : 'beginner'),
    ),
    ...Array.from({ length: 6 }, (_, i) =>
      lab(`inst-${i}`, 'Installation, Upgrades, and Configuration', i < 4 ? 'beginner' : 'advanced'),
    ),
    ...Array.from({ length: 6 }, (_, i) =>
      lab(`ts-${i}`, 'Troubleshooting', i < 2 ? 'intermediate' : 'advanced'),
    ),
  ];

  it("over many seeds each domain's share of the maximum points is its curriculum weight, whatever the difficulties drawn", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const plan = assembleExam(fourDomains, [], { seed });
      // the task points as shown, summed per domain
      const sums = new Map<string, number>();
      for (const t of plan.tasks) sums.set(t.domain, (sums.get(t.domain) ?? 0) + taskPoints(plan, t));
      for (const d of ICA_DOMAINS)
        expect(sums.get(d.name), `seed ${seed} ${d.name}`).toBeCloseTo(d.weight, 6);
      const full = scoreExam(
        plan,
        plan.tasks.map((t) => ({ index: t.index, score: 1, detail: '' })),
      );
      expect(full.points).toBe(100);
      for (const d of full.domains) expect(d.points, `seed ${seed}`).toBe(d.weight);
      expect(coverageNote(plan)).toMatch(/Traffic Management \d+ tasks, 35% of the points;/);
    }
  });

  it('a candidate who solves exactly the Traffic Management tasks scores 35% and does not pass the 68% line', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const plan = assembleExam(fourDomains, [], { seed });
      const score = scoreExam(
        plan,
        plan.tasks.map((t) => ({
          index: t.index,
          score: t.domain === 'Traffic Management' ? 1 : 0,
          detail: '',
        })),
      );
      expect(score.percent, `seed ${seed}`).toBe(35);
      expect(score.earned).toBe(35);
      expect(score.passed).toBe(false);
    }
  });

  it('68% needs more than the two largest domains: Traffic Management and Securing Workloads make 60%', () => {
    const plan = assembleExam(fourDomains, [], { seed: 3 });
    const solve = (domains: string[]) =>
      scoreExam(
        plan,
        plan.tasks.map((t) => ({ index: t.index, score: domains.includes(t.domain) ? 1 : 0, detail: '' })),
      );
    expect(solve(['Traffic Management', 'Securing Workloads']).percent).toBe(60);
    expect(solve(['Traffic Management', 'Securing Workloads']).passed).toBe(false);
    expect(solve(['Traffic Management', 'Securing Workloads', 'Troubleshooting']).passed).toBe(true);
  });

  it('within a domain a task counts by its difficulty, and an unscorable task leaves the domain to the others', () => {
    const plan = assembleExam(fourDomains, [], { seed: 5 });
    const ts = plan.tasks.filter((t) => t.domain === 'Troubleshooting');
    const raw = ts.reduce((a, t) => a + (t.weight ?? 0), 0);
    for (const t of ts) expect(taskPoints(plan, t)).toBeCloseTo((20 * (t.weight ?? 0)) / raw, 6);
    const [gone, ...rest] = ts;
    if (!gone) throw new Error('no Troubleshooting task');
    const score = scoreExam(plan, [
      { index: gone.index, score: 0, scored: false, detail: 'lab gone' },
      ...rest.map((t) => ({ index: t.index, score: 1, detail: '' })),
    ]);
    const d = score.domains.find((x) => x.domain === 'Troubleshooting');
    expect(d?.percent).toBe(100);
    expect(d?.earned).toBe(20);
    expect(score.percent).toBe(20);
  });

  it('an exam saved before task weights (no weight on its tasks) still loads and scores by the curriculum', () => {
    const plan = assembleExam(fourDomains, [], { seed: 7 });
    const old = { ...plan, tasks: plan.tasks.map(({ weight: _w, ...t }) => t) };
    const score = scoreExam(
      old,
      old.tasks.map((t) => ({
        index: t.index,
        score: t.domain === 'Securing Workloads' ? 1 : 0,
        detail: '',
      })),
    );
    expect(score.percent).toBe(25);
    const tm = old.tasks.filter((t) => t.domain === 'Traffic Management');
    for (const t of tm) expect(taskPoints(old, t)).toBeCloseTo(35 / tm.length, 6);
  });
});

describe('a lab task earns credit only for what the learner changed', () => {
  const criterion = (id: string, pass: boolean) => ({
    id,
    text: `criterion ${id}`,
    pass,
    reason: 'why',
    codes: [],
    findings: [],
  });
  const atStart = new Set(['valid', 'others']);

  it('the starter as it was scores 0: what it already met earns nothing', () => {
    const r = scoreLabTask(
      { criteria: [criterion('valid', true), criterion('others', true), criterion('canary', false)] },
      atStart,
    );
    expect(r.score).toBe(0);
    expect(r.checks?.filter((c) => c.atStart).map((c) => c.id)).toEqual(['valid', 'others']);
  });

  it('partial credit over the criteria the learner had to change', () => {
    const r = scoreLabTask(
      {
        criteria: [
          criterion('valid', true),
          criterion('others', true),
          criterion('a', true),
          criterion('b', false),
        ],
      },
      atStart,
    );
    expect(r.score).toBe(0.5);
    expect(r.detail).toMatch(/1 of 2 criteria met; missing: criterion b/);
  });

  it('breaking what already worked costs the whole task', () => {
    const r = scoreLabTask(
      { criteria: [criterion('valid', false), criterion('others', true), criterion('a', true)] },
      atStart,
    );
    expect(r.score).toBe(0);
    expect(r.detail).toMatch(/broke what already worked \(criterion valid\)/);
  });

  it('a lab whose starter meets everything is not scored', () => {
    const r = scoreLabTask({ criteria: [criterion('valid', true), criterion('others', true)] }, atStart);
    expect(r.scored).toBe(false);
  });
});
