// The quiz screen driven by keys: choose by arrows or numbers, submit, feedback
// with the explanation and the FSRS rating, the summary; every answer saved.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_QUIZZES, KEY, renderTui, type Tui } from './helpers/render.tsx';

const YAML_QUIZZES = new URL('./fixtures/quizzes-yaml/', import.meta.url).pathname;

let tui: Tui | undefined;
afterEach(async () => {
  await tui?.cleanup();
  tui = undefined;
});

async function savedState(tui: Tui): Promise<{
  quiz: {
    cards: Record<string, { seen: number; correct: number }>;
    history: { id: string; via?: string; rating: string }[];
  };
}> {
  await tui.saved();
  return JSON.parse(await readFile(join(tui.home, 'state.json'), 'utf8'));
}

describe('quiz screen', () => {
  it('answers every question type by keys, shows feedback and the summary, and saves each answer', async () => {
    tui = await renderTui({ route: { name: 'quiz', mode: 'learn' }, env: { quizDir: FIXTURE_QUIZZES } });
    // 1: single choice, by arrow then Enter (right: b)
    await tui.waitFor('What share of the');
    expect(tui.frame()).toContain('question 1 of 3');
    await tui.press(KEY.down, KEY.enter);
    let f = await tui.waitFor('✓ Right.');
    // a right answer is Good until the learner says how hard it was
    expect(f).toMatch(/How hard was it\? 1 Again {2}2 Hard {2}3 \[Good\] {2}4 Easy · next review/);
    // the footer offers the four ratings, not every number key
    expect(await tui.waitFor('1-4 how hard')).not.toContain('1-9');
    expect(f).toContain('Weighted destinations split the matching requests');
    expect(f).toContain('About 20%  (your choice)');
    expect(f).toContain('That is the share of v1.'); // why each option is right or wrong
    expect((await savedState(tui)).quiz.cards['tui-single-weights']?.correct).toBe(1);
    expect((await savedState(tui)).quiz.history.map((h) => h.rating)).toEqual(['Good']);
    await tui.press(KEY.number(2));
    await tui.waitFor('2 [Hard]');
    const shown = tui;
    await expect.poll(async () => (await savedState(shown)).quiz.history[0]?.rating).toBe('Hard');

    // 2: multiple choice, ticked by number and by Space (right: a, b)
    await tui.press(KEY.enter);
    await tui.waitFor('Which are true of traffic mirroring?');
    await tui.press(KEY.enter);
    await tui.waitFor('Tick at least one option first');
    await tui.press(KEY.number(1), KEY.down, KEY.space);
    await tui.waitFor((s) => (s.match(/\[x\]/g) ?? []).length === 2);
    await tui.press(KEY.enter);
    await tui.waitFor('✓ Right.');

    // 3: true/false, wrong on purpose (the statement is false)
    await tui.press(KEY.enter);
    await tui.waitFor('A 404 NR in the access log');
    await tui.press(KEY.number(1), KEY.enter);
    f = await tui.waitFor('✗ Wrong.');
    expect(f).toContain('The statement is false.');
    expect(f).toContain('FSRS rating Again');
    expect(f).toContain('Why not true: NR means no route matched');

    // summary
    await tui.press(KEY.enter);
    f = await tui.waitFor('Session done');
    expect(f).toContain('2 of 3 right (67%)');
    expect(f).toMatch(/FSRS ratings: Again 1 · Hard 1 · Good 1/);
    const state = await savedState(tui);
    expect(Object.keys(state.quiz.cards).sort()).toEqual([
      'tui-multiple-mirroring',
      'tui-single-weights',
      'tui-truefalse-retries',
    ]);
    expect(state.quiz.history.map((h) => h.via)).toEqual(['tui', 'tui', 'tui']);
    await tui.press(KEY.enter);
    await tui.waitFor('Progress by curriculum domain');
  });

  it('writes a YAML answer in the editor (the terminal handed over) and grades it on return', async () => {
    let answer = '';
    tui = await renderTui({
      route: { name: 'quiz', mode: 'learn' },
      env: { quizDir: YAML_QUIZZES },
      editorWrites: async (file) => {
        const template = await readFile(file, 'utf8');
        expect(template).toContain('# Make half of all requests');
        expect(template).not.toContain('tui-yaml-delay');
        await writeFile(file, template + answer);
      },
    });
    await tui.waitFor('Make half of all requests to ratings wait 5');
    expect(tui.frame()).toContain('Hint: A fault on the HTTP rule.');
    // nothing written: the editor returns the template only
    await tui.press(KEY.edit);
    await tui.waitFor('Nothing was written');
    // a wrong answer first? No: one answer per question; write the reference
    answer = [
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata: {name: ratings}',
      'spec:',
      '  hosts: [ratings]',
      '  http:',
      '  - fault:',
      '      delay: {percentage: {value: 50}, fixedDelay: 5s}',
      '    route:',
      '    - destination: {host: ratings}',
      '',
    ].join('\n');
    await tui.press(KEY.edit);
    const f = await tui.waitFor('✓ Right.');
    expect(f).toContain('Your YAML passes every check.');
    expect(tui.edited).toHaveLength(2);
    expect((await savedState(tui)).quiz.cards['tui-yaml-delay']?.correct).toBe(1);
  });

  it('a YAML answer that does not parse shows file:line and is edited again, not graded, rated or revealed', async () => {
    let text =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ratings\n   bad: [\n';
    tui = await renderTui({
      route: { name: 'quiz', mode: 'learn' },
      env: { quizDir: YAML_QUIZZES },
      editorWrites: async (file) => {
        await writeFile(file, text);
      },
    });
    await tui.waitFor('Make half of all requests');
    await tui.press(KEY.edit);
    let f = await tui.waitFor('does not parse');
    expect(f).toMatch(/\.yaml:5:\d+: YAML syntax error/);
    expect(f).toContain('Press e to fix it in the editor.');
    expect(f).not.toContain('A reference answer');
    expect(f).not.toContain('Not yet');
    const state = JSON.parse(await readFile(join(tui.home, 'state.json'), 'utf8').catch(() => '{}'));
    expect(state.quiz?.history ?? []).toEqual([]);
    // fixed in the editor: graded now
    text = [
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata: {name: ratings}',
      'spec:',
      '  hosts: [ratings]',
      '  http:',
      '  - fault:',
      '      delay: {percentage: {value: 50}, fixedDelay: 5s}',
      '    route:',
      '    - destination: {host: ratings}',
      '',
    ].join('\n');
    await tui.press(KEY.edit);
    f = await tui.waitFor('✓ Right.');
    expect(f).not.toContain('does not parse');
    expect((await savedState(tui)).quiz.history).toHaveLength(1);
  });

  it('shows why a YAML answer is wrong, with the reference answer', async () => {
    tui = await renderTui({
      route: { name: 'quiz', mode: 'learn' },
      env: { quizDir: YAML_QUIZZES },
      editorWrites: async (file) => {
        await writeFile(
          file,
          'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ratings}\nspec:\n  hosts: [ratings]\n  http:\n  - route:\n    - destination: {host: ratings}\n',
        );
      },
    });
    await tui.waitFor('Make half of all requests');
    await tui.press(KEY.edit);
    const f = await tui.waitFor('✗ Not yet.');
    expect(f).toContain('✗ ');
    expect(f).not.toContain('tui-yaml-delay'); // the message names no question id
    await tui.press(KEY.pageDown);
    await tui.waitFor('A reference answer:');
  });

  it('leaves the session with q (answers so far are kept) and Review says when nothing is due', async () => {
    tui = await renderTui({ env: { quizDir: FIXTURE_QUIZZES } });
    await tui.waitFor('› 1 Quiz');
    await tui.press(KEY.enter);
    await tui.waitFor('question 1 of 3');
    await tui.press(KEY.number(2), KEY.enter);
    await tui.waitFor('✓ Right.');
    await tui.press(KEY.back);
    await tui.waitFor(/1\/3 questions seen/);
    await tui.press(KEY.number(2));
    await tui.waitFor(/No reviews due\. The next one is due in \d+ (minutes|hours|days)/);
  });
});
