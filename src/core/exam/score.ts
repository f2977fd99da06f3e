// Scoring by the tasks' own points: the exam's percent is the points earned over
// the points of the scored tasks, nothing rescaled. A domain contributes exactly
// the points of its tasks; a domain without tasks in this exam is not scored
// (and the score lists it), rather than being inferred from the others.
import type { Domain } from '../content/quiz-schema.ts';
import { type ExamPlan, taskWeight } from './plan.ts';

/** One criterion of a lab task as graded, for the review after submitting. */
export interface TaskCheck {
  id: string;
  text: string;
  pass: boolean;
  reason: string;
  /** the starter (the folder as the exam created it) already met it: it earns nothing */
  atStart: boolean;
}

export interface TaskOutcome {
  index: number;
  /** 0..1 of the task's points */
  score: number;
  /** one line: what was right or wrong */
  detail: string;
  /** false when the task cannot be scored (its content is gone, or the starter already met every criterion) */
  scored?: boolean;
  checks?: TaskCheck[];
}

export interface DomainScore {
  domain: Domain;
  /** the curriculum's weight (percent) */
  weight: number;
  tasks: number;
  /** percent of the domain's points earned, 0..100; undefined when the exam had no task in this domain */
  percent?: number;
  /** points of the domain's scored tasks, and those earned */
  points?: number;
  earned?: number;
}

export interface ExamScore {
  percent: number;
  passPercent: number;
  passed: boolean;
  domains: DomainScore[];
  /** points of every scored task, and those earned */
  points?: number;
  earned?: number;
  /** domains without a task in this exam: not scored */
  notScored?: string[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function scoreExam(plan: ExamPlan, outcomes: readonly TaskOutcome[]): ExamScore {
  const byIndex = new Map(outcomes.map((o) => [o.index, o]));
  let points = 0;
  let earned = 0;
  const domains: DomainScore[] = plan.coverage.map((c) => {
    const tasks = plan.tasks.filter((t) => t.domain === c.domain);
    if (tasks.length === 0) return { domain: c.domain, weight: c.weight, tasks: 0 };
    let p = 0;
    let e = 0;
    for (const t of tasks) {
      const o = byIndex.get(t.index);
      if (o?.scored === false) continue;
      p += taskWeight(t);
      e += taskWeight(t) * Math.max(0, Math.min(1, o?.score ?? 0));
    }
    points += p;
    earned += e;
    return {
      domain: c.domain,
      weight: c.weight,
      tasks: tasks.length,
      points: round1(p),
      earned: round1(e),
      ...(p > 0 ? { percent: round1((100 * e) / p) } : {}),
    };
  });
  const percent = points > 0 ? round1((100 * earned) / points) : 0;
  return {
    percent,
    passPercent: plan.passPercent,
    passed: points > 0 && percent >= plan.passPercent,
    domains,
    points: round1(points),
    earned: round1(earned),
    notScored: domains.filter((d) => d.tasks === 0).map((d) => d.domain),
  };
}
