// Scoring by curriculum weight: each domain earns its share of the exam's 100
// points (35/25/20/20, scaled over the domains the exam has) times the share of
// its tasks' weight the learner earned. So the percent means what the real
// exam's would, whatever difficulty of tasks the draw gave each domain. A task
// that cannot be scored leaves its domain to the others; a domain without a
// scored task is not scored (the score lists it), and the rest are scaled to it.
import type { Domain } from '../content/quiz-schema.ts';
import { domainPoints, type ExamPlan, taskWeight } from './plan.ts';

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
  const shares = domainPoints(plan);
  let points = 0;
  let earned = 0;
  const domains: DomainScore[] = plan.coverage.map((c) => {
    const tasks = plan.tasks.filter((t) => t.domain === c.domain);
    if (tasks.length === 0) return { domain: c.domain, weight: c.weight, tasks: 0 };
    // the share of the domain's task weight earned, over its scored tasks
    let p = 0;
    let e = 0;
    for (const t of tasks) {
      const o = byIndex.get(t.index);
      if (o?.scored === false) continue;
      p += taskWeight(t);
      e += taskWeight(t) * Math.max(0, Math.min(1, o?.score ?? 0));
    }
    if (p === 0) return { domain: c.domain, weight: c.weight, tasks: tasks.length };
    const domainMax = shares.get(c.domain) ?? 0;
    const domainEarned = (domainMax * e) / p;
    points += domainMax;
    earned += domainEarned;
    return {
      domain: c.domain,
      weight: c.weight,
      tasks: tasks.length,
      points: round1(domainMax),
      earned: round1(domainEarned),
      percent: round1((100 * e) / p),
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
