// Markdown in content is rendered the same way everywhere on screen: a `code`
// span shows as code (no backticks), in prompts, options, explanations, hints
// and criteria alike.
import { describe, expect, it } from 'vitest';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import type { Question } from '../../src/core/content/quiz-schema.ts';
import { hintLines, taskLines } from '../../src/ui/screens/lab-view.ts';
import { questionLines } from '../../src/ui/screens/quiz-view.ts';
import { initialLabView } from '../../src/ui/state/lab.ts';
import { lineText } from '../../src/ui/text/lines.ts';

const question = {
  id: 'x-01',
  topic: 'x',
  file: 'x.yaml',
  type: 'single',
  domain: 'Traffic Management',
  difficulty: 'easy',
  section: '2.1 Weighted Routing',
  prompt: 'Which field sets the `weight`?',
  explanation: 'The `weight` field.',
  options: [
    { text: '`route[].weight`', why: 'Right: `weight` is per destination.' },
    { text: 'the `subset` name', why: 'No.' },
    { text: 'a `Gateway` server', why: 'No.' },
  ],
  answer: 'a',
  hint: 'Look at `HTTPRouteDestination`.',
} as unknown as Question;

describe('markdown on screen', () => {
  it('renders code spans in a question and its options: no backticks', () => {
    const text = questionLines(question, { cursor: 0, ticked: [] }, 80, 'vi').lines.map(lineText).join('\n');
    expect(text).toContain('route[].weight');
    expect(text).toContain('Which field sets the weight?');
    expect(text).not.toContain('`');
  });

  it("renders code spans in a lab's criteria and hints", () => {
    const lab = loadExercises().exercises.find((e) => e.id === 'circuit-breaking');
    expect(lab).toBeDefined();
    if (!lab) return;
    expect(lab.hints.join(' ')).toContain('`'); // the content has code spans
    const hints = hintLines(lab, { ...initialLabView(), hintsShown: lab.hints.length }, 80).map(lineText);
    expect(hints.join('\n')).not.toContain('`');
    const task = taskLines(lab, 80).map(lineText);
    const checked = task.slice(task.indexOf('What is checked'));
    expect(checked.join('\n')).not.toContain('`');
  });
});
