// The mock exam driven by keys: start, countdown, task list with status and
// flags, navigation, answering, submit with confirmation, the result by domain;
// saved at every step in the same state the CLI uses, so it resumes.
import { cp, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
    // review each task: what was checked, and the reference answer
    await tui.press(KEY.enter);
    f = await tui.waitFor('What was checked');
    expect(f).toMatch(/Task 1: /);
    expect(f).toMatch(/✓ The configuration is valid/);
    // the end of the review: the reference answer's files, then this note (how far down
    // depends on the task drawn and its checks)
    for (let i = 0; i < 16 && !tui.frame().includes('Other correct answers pass too'); i++)
      await tui.press(KEY.pageDown);
    await tui.waitFor('Other correct answers pass too');
    await tui.press(KEY.right);
    f = await tui.waitFor('review of task 2');
    expect(f).toMatch(/Why/);
    await tui.press(KEY.back);
    await tui.waitFor('By curriculum domain');
    await tui.press(KEY.back);
    await tui.waitFor('Progress by curriculum domain');
  });

  it('edits a lab task with e and grades it on demand; an untouched task earns nothing', async () => {
    let labId = '';
    tui = await renderTui({
      route: { name: 'exam' },
      env: { quizDir: FIXTURE_QUIZZES },
      editorWrites: async (file) => {
        await cp(await solutionDir(labId), dirname(file), { recursive: true });
      },
    });
    await startQuickDrill(tui);
    const saved = await exams(tui);
    labId = saved.active?.plan.tasks[0]?.id ?? '';
    await tui.press(KEY.enter);
    let f = await tui.waitFor('Your folder:');
    expect(f).toContain('ica-trainer exam check 1');
    expect(f).toContain(`ica-trainer lab check ${labId}`);
    await tui.press(KEY.regrade);
    f = await tui.waitFor('Graded now');
    expect(f).toMatch(/Task 1: 0 of [\d.]+ points so far/);
    expect(f).toMatch(/met at the start: earns nothing|✗/);
    await tui.press(KEY.edit);
    f = await tui.waitFor(/Task 1: ([\d.]+) of \1 points so far/);
    expect(tui.edited[0]?.startsWith(join(saved.active?.workspace ?? '', `01-${labId}`))).toBe(true);
    // grading on demand records nothing: the exam is still running, the lab's own progress untouched
    const state = JSON.parse(await readFile(join(tui.home, 'state.json'), 'utf8')) as {
      labs?: Record<string, { status: string }>;
    };
    expect(state.labs?.[labId]?.status ?? 'not started').not.toBe('passed');
  });

  it('abandons the exam only after confirmation; nothing is scored', async () => {
    tui = await renderTui({ route: { name: 'exam' }, env: { quizDir: FIXTURE_QUIZZES } });
    await startQuickDrill(tui);
    await tui.press(KEY.abandon);
    await tui.waitFor('Abandon this exam?');
    await tui.press(KEY.no);
    await tui.waitFor((x) => !x.includes('Abandon this exam?'));
    expect((await exams(tui)).active).toBeDefined();
    await tui.press(KEY.abandon);
    await tui.waitFor('Abandon this exam?');
    await tui.press(KEY.yes);
    const f = await tui.waitFor('Exam abandoned: nothing was scored');
    expect(f).toContain('Full mock exam');
    const after = await exams(tui);
    expect(after.active).toBeUndefined();
    expect(after.history).toHaveLength(0);
  });

  it("locks the hints and solution of the exam's labs on the lab screen", async () => {
    tui = await renderTui({ route: { name: 'exam' }, env: { quizDir: FIXTURE_QUIZZES } });
    await startQuickDrill(tui);
    const labId = (await exams(tui)).active?.plan.tasks[0]?.id ?? '';
    tui.unmount();
    await tui.saved();
    const { home, cwd } = tui;
    tui = await renderTui({
      route: { name: 'lab', id: labId },
      home,
      cwd,
      env: { quizDir: FIXTURE_QUIZZES },
    });
    await tui.waitFor('Workspace');
    await tui.press(KEY.hint);
    let f = await tui.waitFor('Hints locked until the exam ends (this lab is exam task 1)');
    expect(f).not.toMatch(/Hint 1 of/);
    expect(f).toContain('Hints'); // the hints pane, showing the lock instead
    // the pane's text wraps where the exam's id ends: compare it as one line
    f = await tui.waitFor((x) =>
      x.replace(/\s+/g, ' ').includes('hints and solution are locked until you submit or abandon'),
    );
    await tui.press(KEY.solution);
    f = await tui.waitFor('Solution locked until the exam ends');
    expect(f).not.toContain('Show the reference solution?');
  });

  it("reopens the last exam's review from the start screen", async () => {
    tui = await renderTui({ route: { name: 'exam' }, env: { quizDir: FIXTURE_QUIZZES } });
    await startQuickDrill(tui);
    await tui.press(KEY.submit);
    await tui.waitFor('Submit the exam now?');
    await tui.press(KEY.yes);
    await tui.waitFor('By curriculum domain');
    tui.unmount();
    await tui.saved();
    const { home, cwd } = tui;
    tui = await renderTui({ route: { name: 'exam' }, home, cwd, env: { quizDir: FIXTURE_QUIZZES } });
    await tui.waitFor(/r reviews your last exam \(.*, 0%\)/);
    await tui.press(KEY.regrade);
    let f = await tui.waitFor('By curriculum domain');
    expect(f).toMatch(/submitted \d{4}-\d\d-\d\d/);
    await tui.press(KEY.enter);
    f = await tui.waitFor('What was checked');
    await tui.press(KEY.back);
    await tui.waitFor('By curriculum domain');
    await tui.press(KEY.back);
    await tui.waitFor('Full mock exam');
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

describe('readiness screen', () => {
  it('opens from Progress: exams per domain, weak areas each with the lab to do next, Enter opens it', async () => {
    tui = await renderTui({ route: { name: 'exam' }, env: { quizDir: FIXTURE_QUIZZES } });
    await startQuickDrill(tui);
    const labId = (await exams(tui)).active?.plan.tasks[0]?.id ?? '';
    await tui.press(KEY.submit);
    await tui.waitFor('Submit the exam now?');
    await tui.press(KEY.yes);
    await tui.waitFor('By curriculum domain');
    tui.unmount();
    await tui.saved();
    const { home, cwd } = tui;
    tui = await renderTui({ route: { name: 'progress' }, home, cwd, env: { quizDir: FIXTURE_QUIZZES } });
    await tui.waitFor('Enter readiness');
    await tui.press(KEY.enter);
    const f = await tui.waitFor('Weak areas');
    expect(f).toMatch(/Last exams, per domain/);
    expect(f).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d +\d+%/);
    expect(f).toContain(`do this lab next: ${labId} (missed in a recent exam)`);
    await tui.press(KEY.enter);
    await tui.waitFor('Workspace');
  });
});
