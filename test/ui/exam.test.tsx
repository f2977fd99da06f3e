// The mock exam driven by keys: start, countdown, task list with status and
// flags, navigation, answering, submit with confirmation, the result by domain;
// saved at every step in the same state the CLI uses, so it resumes.
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_QUIZZES, KEY, renderTui, type Tui } from './helpers/render.tsx';

const EXERCISES = new URL('../../exercises/', import.meta.url).pathname;

let tui: Tui | undefined;
afterEach(async () => {
  await tui?.cleanup();
  tui = undefined;
});

interface SavedExams {
  active?: {
    workspace: string;
    plan: { tasks: { kind: string; id: string }[] };
    tasks: { status: string; flagged: boolean; answer?: string }[];
  };
  history: { score: { percent: number } }[];
}

async function exams(t: Tui): Promise<SavedExams> {
  await t.saved();
  const state = JSON.parse(await readFile(join(t.home, 'state.json'), 'utf8')) as { exams?: SavedExams };
  return state.exams ?? { history: [] };
}

async function solutionDir(labId: string): Promise<string> {
  for (const topic of await readdir(EXERCISES)) {
    const dir = join(EXERCISES, topic, labId, 'solution');
    if ((await readdir(join(EXERCISES, topic))).includes(labId)) return dir;
  }
  throw new Error(`no lab ${labId}`);
}

async function startQuickDrill(t: Tui): Promise<void> {
  await t.waitFor('Full mock exam');
  await t.press(KEY.number(3));
  await t.waitFor('› 3 Quick drill');
  await t.press(KEY.enter);
  await t.waitFor(/\d\d:\d\d left/);
}

describe('exam screen', () => {
  it('runs an exam: tasks, flags, answers, navigation, resume, submit with confirmation, result by domain', async () => {
    tui = await renderTui({ route: { name: 'exam' }, env: { quizDir: FIXTURE_QUIZZES } });
    await startQuickDrill(tui);
    let f = tui.frame();
    expect(f).toMatch(/(20:00|19:5\d) left/);
    expect(f).toMatch(/› {2}1 +lab /);
    expect((f.match(/ quiz /g) ?? []).length).toBe(3);
    const saved = await exams(tui);
    const plan = saved.active?.plan.tasks ?? [];
    expect(plan.map((t) => t.kind)).toEqual(['lab', 'question', 'question', 'question']);

    // the lab task: its folder, marked done and flagged
    await tui.press(KEY.enter);
    f = await tui.waitFor('Your folder:');
    expect(f).toContain(`ica-exam/`);
    await tui.press(KEY.done, KEY.flag);
    await tui.waitFor('⚑ flagged');
    await cp(await solutionDir(plan[0]?.id ?? ''), join(saved.active?.workspace ?? '', `01-${plan[0]?.id}`), {
      recursive: true,
    });

    // a question task: choose and save
    await tui.press(KEY.right);
    await tui.waitFor('Task 2 of 4');
    await tui.press(KEY.number(2), KEY.enter);
    await tui.waitFor(/Answer (b|false) saved\./);
    let after = await exams(tui);
    expect(after.active?.tasks[0]).toMatchObject({ status: 'answered', flagged: true });
    expect(after.active?.tasks[1]?.status).toBe('answered');

    // skip the next one, back to the list
    await tui.press(KEY.right, KEY.skip, KEY.back);
    f = await tui.waitFor(/ 3 +quiz .*skipped/);
    expect(f).toMatch(/ 1 ⚑ lab .*done/);

    // a killed terminal loses nothing: each step was written when it was taken
    tui.unmount();
    await tui.saved();
    const { home, cwd } = tui;
    tui = await renderTui({ route: { name: 'exam' }, home, cwd, env: { quizDir: FIXTURE_QUIZZES } });
    f = await tui.waitFor(/ 3 +quiz .*skipped/);
    expect(f).toMatch(/ 1 ⚑ lab .*done/);

    // submit: asks first
    await tui.press(KEY.submit);
    await tui.waitFor('Submit the exam now?');
    expect(tui.frame()).toContain('2 questions not answered');
    await tui.press(KEY.no);
    await tui.waitFor((x) => !x.includes('Submit the exam now?'));
    await tui.press(KEY.submit);
    await tui.waitFor('Submit the exam now?');
    await tui.press(KEY.yes);
    f = await tui.waitFor('By curriculum domain');
    expect(f).toMatch(/\d+(\.\d)?% \(pass line 68%\) (PASSED|NOT PASSED)/);
    expect(f).toMatch(/Traffic Management +[█░]+ +\d/);
    expect(f).toMatch(/✓ +1\. /); // the lab, solved with the reference solution
    after = await exams(tui);
    expect(after.active).toBeUndefined();
    expect(after.history).toHaveLength(1);
    await tui.press(KEY.enter);
    await tui.waitFor('Progress by curriculum domain');
  });

  it('submits by itself when the time is up', async () => {
    let offset = 0;
    tui = await renderTui({
      route: { name: 'exam' },
      env: { quizDir: FIXTURE_QUIZZES, now: () => new Date(Date.now() + offset) },
    });
    await startQuickDrill(tui);
    offset = 21 * 60_000;
    await tui.waitFor('By curriculum domain');
    expect((await exams(tui)).history).toHaveLength(1);
  });

  it('leaving the exam keeps it running; home says so and the exam entry resumes it', async () => {
    tui = await renderTui({ route: { name: 'exam' }, env: { quizDir: FIXTURE_QUIZZES } });
    await startQuickDrill(tui);
    await tui.press(KEY.back);
    await tui.waitFor('an exam is in progress: continue it');
    await tui.press(KEY.number(4));
    await tui.waitFor(/\d\d:\d\d left/);
  });
});
