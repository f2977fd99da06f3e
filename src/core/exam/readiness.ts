// Exam readiness: the last exams' scores per domain over time, and weak areas
// by topic (faults, egress, mirroring ...), each with the lab to do next.
// Areas come from the content itself: a lab's topic folder, or its own id when
// a quiz topic is named after it (mirroring); a quiz topic joins the lab area
// it covers (routing-match -> request-routing), else stands alone.
import type { LoadedExercise } from '../content/exercise-loader.ts';
import type { QuizTopic } from '../content/quiz-loader.ts';
import type { LabProgress } from '../progress/labs.ts';
import type { QuizCard } from '../progress/state.ts';
import type { ExamResult } from './grade.ts';

/** Quiz topics that practise a lab area under another name. */
const QUIZ_AREA: Record<string, string> = {
  'routing-match': 'request-routing',
  'ingress-tls': 'ingress',
  debugging: 'troubleshooting',
  'common-mistakes': 'troubleshooting',
};

/** Evidence counts this much, per item: an exam task or a lab outweighs a quiz answer. */
const WEIGHT = { answer: 1, lab: 3, examTask: 4 } as const;
/** Below this, an area is weak. */
export const WEAK_BELOW = 0.7;
/** Exams looked at for the trend and for weak areas. */
export const RECENT_EXAMS = 5;

export interface ExamTrend {
  id: string;
  submittedAt: string;
  percent: number;
  passed: boolean;
  /** domain -> percent; absent when the exam did not score the domain */
  domains: Record<string, number>;
}

export interface NextLab {
  id: string;
  title: string;
  /** why this one: "not started", "attempted, not passed yet", ... */
  why: string;
}

export interface AreaReadiness {
  area: string;
  title: string;
  domain?: string;
  /** the quiz topics that practise it (`quiz --topic`) */
  quizTopics: string[];
  /** 0..1 over the evidence, null when there is none */
  strength: number | null;
  quiz: { answers: number; correct: number };
  labs: { total: number; passed: number };
  exam: { tasks: number; score: number };
  next?: NextLab;
}

export interface Readiness {
  trend: ExamTrend[];
  /** weak areas (weakest first), then areas without evidence, then the solid ones */
  areas: AreaReadiness[];
  /** the labs to do next: one per weak area, then untried areas, weakest first */
  nextLabs: (NextLab & { area: string })[];
}

export interface ReadinessInput {
  exams: readonly ExamResult[];
  labs: readonly LoadedExercise[];
  topics: readonly QuizTopic[];
  labProgress: Record<string, LabProgress>;
  cards: Record<string, QuizCard>;
}

const words = (s: string) => {
  const w = s.replace(/^\d+-/, '').replace(/-/g, ' ');
  return `${w.charAt(0).toUpperCase()}${w.slice(1)}`;
};

export function labArea(lab: Pick<LoadedExercise, 'id' | 'topic'>, quizTopics: ReadonlySet<string>): string {
  return quizTopics.has(lab.id) ? lab.id : lab.topic.replace(/^\d+-/, '');
}

function nextLab(
  labs: readonly LoadedExercise[],
  progress: Record<string, LabProgress>,
  failedInExam: Set<string>,
): NextLab | undefined {
  const status = (l: LoadedExercise) => progress[l.id]?.status ?? 'not started';
  const pick = (l: LoadedExercise | undefined, why: string) =>
    l ? { id: l.id, title: l.title, why } : undefined;
  return (
    pick(
      labs.find((l) => failedInExam.has(l.id) && status(l) !== 'passed'),
      'missed in a recent exam',
    ) ??
    pick(
      labs.find((l) => status(l) === 'attempted'),
      'attempted, not passed yet',
    ) ??
    pick(
      labs.find((l) => status(l) === 'not started'),
      'not started',
    ) ??
    pick(
      labs.find((l) => status(l) === 'revealed'),
      'solution revealed, never passed on your own',
    ) ??
    pick(
      labs.find((l) => failedInExam.has(l.id)),
      'passed before, but missed in a recent exam',
    )
  );
}

export function readiness(input: ReadinessInput): Readiness {
  const recent = input.exams.slice(-RECENT_EXAMS);
  const trend: ExamTrend[] = recent.map((e) => ({
    id: e.id,
    submittedAt: e.submittedAt,
    percent: e.score.percent,
    passed: e.score.passed,
    domains: Object.fromEntries(
      e.score.domains.filter((d) => d.percent !== undefined).map((d) => [d.domain, d.percent as number]),
    ),
  }));

  const quizTopics = new Set(input.topics.map((t) => t.topic));
  const areas = new Map<
    string,
    AreaReadiness & { labList: LoadedExercise[]; weighted: number; weight: number }
  >();
  const area = (key: string, title: string, domain?: string) => {
    let a = areas.get(key);
    if (!a) {
      a = {
        area: key,
        title,
        ...(domain ? { domain } : {}),
        strength: null,
        quizTopics: [],
        quiz: { answers: 0, correct: 0 },
        labs: { total: 0, passed: 0 },
        exam: { tasks: 0, score: 0 },
        labList: [],
        weighted: 0,
        weight: 0,
      };
      areas.set(key, a);
    }
    return a;
  };
  const areaOfLab = new Map<string, string>();
  for (const lab of input.labs) {
    const key = labArea(lab, quizTopics);
    const topic = input.topics.find((t) => t.topic === key);
    const a = area(key, topic?.title ?? words(key), lab.domain);
    a.labList.push(lab);
    areaOfLab.set(lab.id, key);
    a.labs.total++;
    const st = input.labProgress[lab.id]?.status;
    if (st === 'passed') a.labs.passed++;
    // a lab counts once touched: passed 1, attempted or revealed 0
    if (st && st !== 'not started') {
      a.weighted += (st === 'passed' ? 1 : 0) * WEIGHT.lab;
      a.weight += WEIGHT.lab;
    }
  }
  const areaOfQuestion = new Map<string, string>();
  for (const t of input.topics) {
    const alias = QUIZ_AREA[t.topic];
    const key = !areas.has(t.topic) && alias && areas.has(alias) ? alias : t.topic;
    const a = area(key, areas.get(key)?.title ?? t.title, t.questions[0]?.domain);
    a.quizTopics.push(t.topic);
    for (const q of t.questions) {
      areaOfQuestion.set(q.id, key);
      const card = input.cards[q.id];
      if (!card) continue;
      a.quiz.answers += card.seen;
      a.quiz.correct += card.correct;
      a.weighted += card.correct * WEIGHT.answer;
      a.weight += card.seen * WEIGHT.answer;
    }
  }
  const failedInExam = new Set<string>();
  for (const e of recent) {
    for (const o of e.outcomes) {
      if (o.scored === false) continue;
      const key = o.kind === 'lab' ? areaOfLab.get(o.id) : areaOfQuestion.get(o.id);
      const a = key ? areas.get(key) : undefined;
      if (!a) continue;
      a.exam.tasks++;
      a.exam.score += o.score;
      a.weighted += o.score * WEIGHT.examTask;
      a.weight += WEIGHT.examTask;
      if (o.kind === 'lab' && o.score < 1) failedInExam.add(o.id);
    }
  }
  const list: AreaReadiness[] = [...areas.values()].map(({ labList, weighted, weight, ...a }) => {
    const next = nextLab(labList, input.labProgress, failedInExam);
    return { ...a, strength: weight > 0 ? weighted / weight : null, ...(next ? { next } : {}) };
  });
  // weak areas (weakest first), then the untried, then the solid ones
  const rank = (a: AreaReadiness) => (a.strength === null ? 1 : a.strength < WEAK_BELOW ? 0 : 2);
  list.sort((a, b) => rank(a) - rank(b) || (a.strength ?? 0) - (b.strength ?? 0));
  const nextLabs = list
    .filter((a) => a.next && (a.strength === null || a.strength < WEAK_BELOW))
    .map((a) => ({ ...(a.next as NextLab), area: a.title }));
  return { trend, areas: list, nextLabs };
}
