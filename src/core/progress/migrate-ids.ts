// Renames old question ids in a raw (not yet validated) state object, so that
// progress recorded before the ids became neutral follows the question. It runs
// on every read: it is idempotent (new ids are never in the table) and keeps
// everything: a card recorded under both ids is merged (answers and right
// answers added up, the memory state of the later answer kept).
import { OLD_QUESTION_IDS } from './old-question-ids.ts';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function newId(id: unknown, table: Readonly<Record<string, string>>): string | undefined {
  return typeof id === 'string' && Object.hasOwn(table, id) ? table[id] : undefined;
}

/** Two cards of one question: totals added, the later answer's card and result kept. */
function mergeCards(a: unknown, b: unknown): unknown {
  if (!isObj(a) || !isObj(b)) return isObj(a) ? a : b;
  const later = String(a.lastAnsweredAt ?? '') >= String(b.lastAnsweredAt ?? '') ? a : b;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { ...later, seen: num(a.seen) + num(b.seen), correct: num(a.correct) + num(b.correct) };
}

/** Renames question ids in place; returns how many places changed. */
export function migrateQuestionIds(
  state: Obj,
  table: Readonly<Record<string, string>> = OLD_QUESTION_IDS,
): number {
  let changed = 0;
  const quiz = state.quiz;
  if (isObj(quiz)) {
    if (isObj(quiz.cards)) {
      const cards: Obj = {};
      for (const [id, card] of Object.entries(quiz.cards)) {
        const to = newId(id, table) ?? id;
        if (to !== id) changed++;
        cards[to] = Object.hasOwn(cards, to) ? mergeCards(cards[to], card) : card;
      }
      quiz.cards = cards;
    }
    if (Array.isArray(quiz.history)) {
      for (const rec of quiz.history) {
        const to = isObj(rec) ? newId(rec.id, table) : undefined;
        if (to && isObj(rec)) {
          rec.id = to;
          changed++;
        }
      }
    }
  }
  // exams name their quick questions by id: the one in progress and past results
  const exams = state.exams;
  if (isObj(exams)) {
    const renameTasks = (tasks: unknown) => {
      if (!Array.isArray(tasks)) return;
      for (const t of tasks) {
        if (!isObj(t) || t.kind !== 'question') continue;
        const to = newId(t.id, table);
        if (to) {
          t.id = to;
          changed++;
        }
      }
    };
    if (isObj(exams.active) && isObj(exams.active.plan)) renameTasks(exams.active.plan.tasks);
    if (Array.isArray(exams.history)) for (const r of exams.history) if (isObj(r)) renameTasks(r.outcomes);
  }
  return changed;
}
