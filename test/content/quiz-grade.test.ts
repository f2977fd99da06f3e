import { describe, expect, it } from 'vitest';
import { AnswerFormatError, gradeAnswer, parseChoiceAnswer } from '../../src/core/content/quiz-grade.ts';
import type { Question } from '../../src/core/content/quiz-schema.ts';

const option = (text: string) => ({ text, why: `because ${text}` });
const base = {
  domain: 'Traffic Management',
  difficulty: 'easy',
  section: '1.1 VirtualService',
  prompt: 'p',
  explanation: 'e',
  topic: 't',
  file: 'f',
} as const;
const single: Question = {
  ...base,
  id: 's',
  type: 'single',
  options: ['a', 'b', 'c'].map(option),
  answer: 'b',
};
const multiple: Question = {
  ...base,
  id: 'm',
  type: 'multiple',
  options: ['a', 'b', 'c', 'd'].map(option),
  answers: ['a', 'c'],
};
const tf: Question = { ...base, id: 't', type: 'truefalse', answer: false, whyNot: 'w' };

describe('parseChoiceAnswer and gradeAnswer', () => {
  it('grades single choice', () => {
    expect(gradeAnswer(single, parseChoiceAnswer(single, 'B')).correct).toBe(true);
    expect(gradeAnswer(single, parseChoiceAnswer(single, ' a ')).correct).toBe(false);
  });

  it('grades multiple choice in any order and notation', () => {
    for (const raw of ['a,c', 'c,a', 'a c', 'ca', 'A, C'])
      expect(gradeAnswer(multiple, parseChoiceAnswer(multiple, raw)).correct, raw).toBe(true);
    expect(gradeAnswer(multiple, parseChoiceAnswer(multiple, 'a')).correct).toBe(false);
    expect(gradeAnswer(multiple, parseChoiceAnswer(multiple, 'a,b,c')).correct).toBe(false);
  });

  it('grades true/false', () => {
    expect(gradeAnswer(tf, parseChoiceAnswer(tf, 'false')).correct).toBe(true);
    expect(gradeAnswer(tf, parseChoiceAnswer(tf, 'TRUE')).correct).toBe(false);
  });

  it('rejects badly formed answers with a clear message', () => {
    expect(() => parseChoiceAnswer(single, 'd')).toThrow(AnswerFormatError);
    expect(() => parseChoiceAnswer(single, 'a,b')).toThrow(/exactly one right option/);
    expect(() => parseChoiceAnswer(single, '')).toThrow(/expected one option letter from a to c/);
    expect(() => parseChoiceAnswer(multiple, 'a,x')).toThrow(/from a to d/);
    expect(() => parseChoiceAnswer(tf, 'maybe')).toThrow(/expected true or false/);
  });
});
