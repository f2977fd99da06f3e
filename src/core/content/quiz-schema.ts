// The schema of a quiz file (quizzes/<topic>.yaml): zod, with descriptions,
// validated at load time. One file per topic; each question carries its
// curriculum domain, difficulty, the module section it is drawn from and an
// explanation for every option.
import { z } from 'zod';
import { yamlCheckSchema } from './quiz-check-schema.ts';

/**
 * The ICA curriculum domains and weights (Linux Foundation, exams from 12 August
 * 2025 on, Istio 1.26). Use these exact names everywhere.
 */
export const ICA_DOMAINS = [
  { name: 'Installation, Upgrades, and Configuration', weight: 20 },
  { name: 'Traffic Management', weight: 35 },
  { name: 'Securing Workloads', weight: 25 },
  { name: 'Troubleshooting', weight: 20 },
] as const;
export type Domain = (typeof ICA_DOMAINS)[number]['name'];
export const DOMAIN_NAMES = ICA_DOMAINS.map((d) => d.name) as [Domain, ...Domain[]];

/** Sections of course module 1.2 (Istio Traffic Management) that questions refer to. */
export const MODULE_SECTIONS = [
  'Did You Know',
  'War Story',
  '1.1 VirtualService',
  '1.2 DestinationRule',
  '1.3 Gateway',
  '1.4 ServiceEntry',
  '2.1 Weighted Routing',
  '2.2 Header-Based Routing',
  '2.3 URI-Based Routing',
  '3.1 Delay Injection',
  '3.2 Abort Injection',
  '3.3 Combined Faults',
  '4.1 Timeouts',
  '4.2 Retries',
  '4.3 Circuit Breaking',
  '4.4 Outlier Detection',
  '5 Traffic Mirroring',
  '6.1 Configuring Ingress with Gateway',
  '6.2 TLS at Ingress',
  '7.1 Controlling Outbound Traffic',
  '7.2 ServiceEntry for External Access',
  '7.3 Egress Gateway',
  'Common Mistakes',
  'Debugging',
  'Hands-On Exercise',
] as const;
export type ModuleSection = (typeof MODULE_SECTIONS)[number];

/**
 * Areas of the three domains module 1.2 does not cover (installation, security,
 * troubleshooting): questions on them name the area instead of a module section.
 */
export const DOMAIN_AREAS = [
  'Install Profiles',
  'Helm',
  'Sidecar Injection',
  'Revisions and Upgrades',
  'Mesh Config',
  'Sidecar Resource',
  'Ambient Mode',
  'mTLS',
  'Authorization',
  'Request Authentication',
  'Gateway TLS',
  'Egress TLS',
  'Response Flags',
  'istioctl Diagnostics',
  'Control Plane',
] as const;
export type DomainArea = (typeof DOMAIN_AREAS)[number];
export const SECTIONS = [...MODULE_SECTIONS, ...DOMAIN_AREAS] as const;
export type Section = ModuleSection | DomainArea;

/** Sections whose name means something only beside the course text, as a newcomer reads them. */
const SECTION_NAMES: Partial<Record<Section, string>> = {
  'War Story': 'From a real incident',
  'Did You Know': 'Good to know',
  'Hands-On Exercise': 'Hands-on',
  'Common Mistakes': 'Common mistakes',
};

/**
 * How a question's section is shown: its topic in plain words ("Retries", not
 * "module 1.2 § 4.2"), so the trainer stands alone; "Topic: …" at the start of a line.
 */
export function sectionLabel(section: Section, lineStart = false): string {
  const name = SECTION_NAMES[section] ?? section.replace(/^\d+(\.\d+)? /, '');
  return lineStart ? `Topic: ${name}` : name;
}

/** The module's knowledge checks ("Test your knowledge", Q1 to Q11). */
export const MODULE_CHECKS = ['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7', 'Q8', 'Q9', 'Q10', 'Q11'] as const;

export const QUESTION_TYPES = ['single', 'multiple', 'truefalse', 'yaml'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

const LETTERS = 'abcdefgh';
/** Option letter for a 0-based index: 0 -> "a". */
export function optionLetter(index: number): string {
  return LETTERS[index] ?? String(index + 1);
}
/** 0-based index of an option letter, or -1. */
export function optionIndex(letter: string): number {
  return letter.length === 1 ? LETTERS.indexOf(letter.toLowerCase()) : -1;
}

const letter = z.string().regex(/^[a-h]$/, 'must be an option letter (a, b, c ...)');

export const optionSchema = z
  .strictObject({
    text: z.string().min(1).describe('the option as the learner sees it'),
    why: z.string().min(1).describe('why this option is right, or why it is wrong'),
  })
  .describe('one answer option');
export type QuizOption = z.infer<typeof optionSchema>;

const base = {
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, "-")')
    .describe(
      'stable, neutral id (progress is keyed by it): <topic>-<NN>, NN in file order; never a hint at the answer',
    ),
  domain: z.enum(DOMAIN_NAMES).describe('ICA curriculum domain'),
  difficulty: z.enum(['easy', 'medium', 'hard']).describe('how hard the question is'),
  section: z
    .enum(SECTIONS)
    .describe('the section of course module 1.2 the question draws on, or the area of another domain'),
  docs: z
    .string()
    .regex(/^https:\/\/istio\.io\//, 'must be an https://istio.io/ URL')
    .optional()
    .describe('the istio.io page that covers the question (shown after answering)'),
  moduleCheck: z
    .enum(MODULE_CHECKS)
    .optional()
    .describe("the module's knowledge check this question rewords (Q1 to Q11)"),
  tags: z.array(z.string()).optional().describe('free-form keywords'),
  prompt: z.string().min(1).describe('the question'),
  explanation: z.string().min(1).describe('why the right answer is right (shown after answering)'),
};

export const singleSchema = z
  .strictObject({
    type: z.literal('single'),
    ...base,
    options: z.array(optionSchema).min(3).max(6),
    answer: letter.describe('the letter of the one right option'),
  })
  .describe('single choice: exactly one option is right');

export const multipleSchema = z
  .strictObject({
    type: z.literal('multiple'),
    ...base,
    options: z.array(optionSchema).min(4).max(8),
    answers: z.array(letter).min(2).describe('the letters of all right options'),
  })
  .describe('multiple choice: choose all that apply');

export const trueFalseSchema = z
  .strictObject({
    type: z.literal('truefalse'),
    ...base,
    answer: z.boolean().describe('whether the statement is true'),
    whyNot: z.string().min(1).describe('why the opposite answer is wrong (the trap in the statement)'),
  })
  .describe('a statement to judge true or false');

export const wrongAnswerSchema = z.strictObject({
  yaml: z.string().min(1).describe('a plausible but wrong answer'),
  why: z.string().min(1).describe('what is wrong with it'),
});

export const yamlQuestionSchema = z
  .strictObject({
    type: z.literal('yaml'),
    ...base,
    setup: z
      .string()
      .optional()
      .describe('resources that already exist (added to the Bookinfo model), e.g. a Service and Deployments'),
    hint: z.string().optional().describe('a nudge shown on request'),
    checks: z.array(yamlCheckSchema).min(1).describe('what a right answer must achieve'),
    reference: z.string().min(1).describe('a reference answer (must grade correct)'),
    wrong: z.array(wrongAnswerSchema).min(2).describe('wrong answers that must grade wrong'),
  })
  .describe('write the YAML: graded by the analyzer (no Error findings) and the checks');

export const questionSchema = z.discriminatedUnion('type', [
  singleSchema,
  multipleSchema,
  trueFalseSchema,
  yamlQuestionSchema,
]);

export type SingleQuestionSpec = z.infer<typeof singleSchema>;
export type MultipleQuestionSpec = z.infer<typeof multipleSchema>;
export type TrueFalseQuestionSpec = z.infer<typeof trueFalseSchema>;
export type YamlQuestionSpec = z.infer<typeof yamlQuestionSchema>;
export type QuestionSpec = z.infer<typeof questionSchema>;

/** A loaded question: the spec plus where it came from. */
export type Question = QuestionSpec & { topic: string; file: string };
export type SingleQuestion = SingleQuestionSpec & { topic: string; file: string };
export type MultipleQuestion = MultipleQuestionSpec & { topic: string; file: string };
export type TrueFalseQuestion = TrueFalseQuestionSpec & { topic: string; file: string };
export type YamlQuestion = YamlQuestionSpec & { topic: string; file: string };

export const quizFileSchema = z
  .strictObject({
    topic: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case')
      .describe('topic id; must equal the file name without .yaml'),
    title: z.string().min(1).describe('topic title shown to the learner'),
    description: z.string().optional(),
    questions: z.array(z.unknown()).describe('the questions (each validated on its own)'),
  })
  .describe('a quiz file: one topic and its questions');
export type QuizFileSpec = z.infer<typeof quizFileSchema>;

/** Cross-field checks zod cannot express per field: keyed answers among the options. */
export function answerProblems(q: QuestionSpec): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const range = (n: number) => `a-${optionLetter(n - 1)}`;
  if (q.type === 'single') {
    if (optionIndex(q.answer) >= q.options.length)
      out.push({
        path: ['answer'],
        message: `"${q.answer}" is not an option (${range(q.options.length)})`,
      });
  } else if (q.type === 'multiple') {
    q.answers.forEach((a, i) => {
      if (optionIndex(a) >= q.options.length)
        out.push({ path: ['answers', i], message: `"${a}" is not an option (${range(q.options.length)})` });
    });
    if (new Set(q.answers).size !== q.answers.length)
      out.push({ path: ['answers'], message: 'lists an option twice' });
    if (q.answers.length >= q.options.length)
      out.push({ path: ['answers'], message: 'every option is right: add a wrong one' });
  }
  if (q.type === 'single' || q.type === 'multiple') {
    const seen = new Set<string>();
    q.options.forEach((o, i) => {
      const key = o.text.trim().toLowerCase();
      if (seen.has(key)) out.push({ path: ['options', i, 'text'], message: 'repeats another option' });
      seen.add(key);
    });
  }
  return out;
}
