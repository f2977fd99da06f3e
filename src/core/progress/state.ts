// The learner state file's format: versioned, one section per feature, each a
// zod schema that fills in its own defaults. To add a section (labs, exams):
// define its schema beside QUIZ_SECTION and add one line to `stateSchema`
// with `.prefault({})`, so files written before the section existed still load.
import { z } from 'zod';

export const STATE_VERSION = 1;

const isoDate = z.iso.datetime({ offset: true }).describe('an ISO 8601 timestamp');

/** A ts-fsrs Card with its dates as ISO strings. */
export const storedCardSchema = z
  .object({
    due: isoDate,
    stability: z.number(),
    difficulty: z.number(),
    elapsed_days: z.number(),
    scheduled_days: z.number(),
    learning_steps: z.number(),
    reps: z.number().int().min(0),
    lapses: z.number().int().min(0),
    state: z.number().int().min(0).max(3).describe('0 New, 1 Learning, 2 Review, 3 Relearning'),
    last_review: isoDate.optional(),
  })
  .describe('FSRS memory state of one question');
export type StoredCard = z.infer<typeof storedCardSchema>;

export const RATING_NAMES = ['Again', 'Hard', 'Good', 'Easy'] as const;
export type RatingName = (typeof RATING_NAMES)[number];

export const quizCardSchema = z
  .object({
    card: storedCardSchema,
    seen: z.number().int().min(0).describe('answers given to this question'),
    correct: z.number().int().min(0).describe('of which right'),
    lastAnsweredAt: isoDate,
    lastCorrect: z.boolean(),
  })
  .describe('what the trainer knows about one question');
export type QuizCard = z.infer<typeof quizCardSchema>;

export const answerRecordSchema = z
  .object({
    id: z.string().describe('question id'),
    at: isoDate,
    correct: z.boolean(),
    rating: z.enum(RATING_NAMES),
    ms: z.number().min(0).optional().describe('time taken to answer, when known'),
    via: z.enum(['cli', 'tui', 'exam']).optional().describe('where the answer was given'),
  })
  .describe('one answer, in the order given');
export type AnswerRecord = z.infer<typeof answerRecordSchema>;

/** The answer history keeps this many most recent answers (per-question totals live in the cards). */
export const MAX_HISTORY = 5000;

export const QUIZ_SECTION = z
  .object({
    cards: z.record(z.string(), quizCardSchema).default({}),
    history: z.array(answerRecordSchema).default([]),
  })
  .describe('quiz cards (by question id) and answer history');
export type QuizState = z.infer<typeof QUIZ_SECTION>;

export const stateSchema = z
  .looseObject({
    version: z.literal(STATE_VERSION),
    createdAt: isoDate.optional(),
    updatedAt: isoDate.optional(),
    quiz: QUIZ_SECTION.prefault({}),
    // labs: LABS_SECTION.prefault({}),   <- how later sections join
    // exams: EXAMS_SECTION.prefault({}),
  })
  .describe('the learner state file (sections not known to this release are kept as they are)');
export type LearnerState = z.infer<typeof stateSchema>;

/** A fresh state. */
export function emptyState(now: Date = new Date()): LearnerState {
  return stateSchema.parse({ version: STATE_VERSION, createdAt: now.toISOString() });
}
