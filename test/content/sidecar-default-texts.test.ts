// Two selector-less Sidecars in one namespace: the quiz and the lab hint teach the same thing,
// what Istio 1.26 does (the API calls it undefined; istiod's push context sorts Sidecars by
// creation time and takes the first, so the oldest is used).
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

interface Question {
  id: string;
  options: { text: string; why: string }[];
  answer: string;
  explanation: string;
}

describe('two selector-less Sidecars in a namespace', () => {
  it('quiz sidecar-resource-04 and the sidecar-egress-scoping hint both say: undefined by the API, the oldest in practice', () => {
    const quiz = load(readFileSync('quizzes/sidecar-resource.yaml', 'utf8')) as { questions: Question[] };
    const q = quiz.questions.find((x) => x.id === 'sidecar-resource-04');
    expect(q).toBeDefined();
    const right = q!.options['abcdefgh'.indexOf(q!.answer)]!;
    expect(right.text).toMatch(/undefined by the API/i);
    expect(`${right.why} ${q!.explanation}`).toMatch(/in practice uses the oldest/);
    // no wrong option may be what istiod actually does
    for (const o of q!.options.filter((o) => o !== right)) expect(o.text).not.toMatch(/older|oldest/i);
    const lab = load(
      readFileSync('exercises/09-installation/sidecar-egress-scoping/exercise.yaml', 'utf8'),
    ) as { hints: string[] };
    const hint = lab.hints.find((h) => /IST0111/.test(h));
    expect(hint).toMatch(/undefined by the API; istiod 1\.26 in practice uses the oldest/);
  });
});
