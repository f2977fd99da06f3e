// Scoring: each task earns a fraction (a question 0 or 1, a lab the share of its
// criteria met), each domain the mean of its tasks, and the exam the mean of the
// covered domains weighted by the curriculum.
import type { Domain } from '../content/quiz-schema.ts';
import type { ExamPlan } from './plan.ts';

export interface TaskOutcome {
  index: number;
  /** 0..1 */
  score: number;
  /** one line: what was right or wrong */
  detail: string;
}

export interface DomainScore {
  domain: Domain;
  weight: number;
  tasks: number;
  /** percent, 0..100; undefined when the exam had no task in this domain */
  percent?: number;
}

export interface ExamScore {
  percent: number;
  passPercent: number;
  passed: boolean;
  domains: DomainScore[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function scoreExam(plan: ExamPlan, outcomes: readonly TaskOutcome[]): ExamScore {
  const byIndex = new Map(outcomes.map((o) => [o.index, o]));
  const domains: DomainScore[] = plan.coverage.map((c) => {
    const tasks = plan.tasks.filter((t) => t.domain === c.domain);
    if (tasks.length === 0) return { domain: c.domain, weight: c.weight, tasks: 0 };
    const sum = tasks.reduce((a, t) => a + (byIndex.get(t.index)?.score ?? 0), 0);
    return {
      domain: c.domain,
      weight: c.weight,
      tasks: tasks.length,
      percent: round1((100 * sum) / tasks.length),
    };
  });
  const covered = domains.filter((d) => d.percent !== undefined);
  const weight = covered.reduce((a, d) => a + d.weight, 0);
  const percent =
    weight > 0 ? round1(covered.reduce((a, d) => a + (d.percent ?? 0) * d.weight, 0) / weight) : 0;
  return { percent, passPercent: plan.passPercent, passed: percent >= plan.passPercent, domains };
}
