import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openBackend } from '../../electron/backend.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { tempDir } from '../support/backend.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium.ts';
import { startWebServer } from '../support/webServer.ts';
import { Prose, rng, vocabulary } from './prose.ts';
import { percentile, round } from './stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KEYSTROKES = 500;
const ROUNDS = 5;
/** Typing in bursts: rounds per page, bursts per round, keys per burst, pause after each. */
const BURST_ROUNDS = 2;
const BURSTS = 8;
const BURST_TEXT = 'and the ';
const BURST_PAUSE_MS = 700;

type Subject = { page: Page; paragraph: (n: number) => ReturnType<Page['locator']>; rounds: number[]; keys: number[] };

/**
 * Issue #4's benchmark: a 20,000-word article with 20 figures (each showing its
 * caption document's photo), house-style checks and counts on, in headless Chromium.
 * Per keystroke: from a capturing keydown listener to a zero-delay timer queued from
 * the input event (the editor has applied the transaction and updated the DOM), p95
 * over 500 keystrokes in the middle of the article; the same measure on a plain
 * contenteditable holding the same text is the floor.
 */
export async function run() {
  // Always build (a few seconds): a renderer left in dist/ from other code would be
  // measured instead of this checkout's.
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('vite build failed; nothing to measure');
  const data = tempDir('galley-bench-editor-');
  const random = rng(4);
  const prose = new Prose(vocabulary(), random);
  const paragraphs: string[] = [];
  const { articleId } = await seed(data.dir, prose, paragraphs);

  const server = await startWebServer({ dataDir: data.dir });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(server.url);
    await page.getByRole('list', { name: 'Stories' }).waitFor();

    // Open: from the click on the story to an editable body.
    const openTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'New article' }).click(); // open something else first
      await page.getByRole('textbox', { name: 'Body' }).waitFor();
      const story = page.getByRole('list', { name: 'Stories' }).getByRole('button', { name: /Harbor expansion/ });
      const t0 = Date.now();
      await story.click();
      await page.locator('[aria-label="Body"][contenteditable="true"]').filter({ hasText: paragraphs[0]!.slice(0, 40) }).waitFor();
      openTimes.push(Date.now() - t0);
    }
    await page.locator('figure.figure-view img').first().waitFor();
    // BENCH_SUGGESTING=1: the editor types with Suggest edits on (each keystroke becomes a suggestion).
    if (process.env.BENCH_SUGGESTING === '1') await page.getByRole('button', { name: 'Suggest edits' }).click();

    const body = page.getByRole('textbox', { name: 'Body' });
    // The reference pages lay the same text out as Galley's body does: its font, size,
    // line height and column width. (Until the fourteenth session they used 17px
    // Georgia at 800 px: with no Georgia installed that is DejaVu Sans, where Galley's
    // serif stack gets DejaVu Serif, on lines 40% longer, so the browser's own insert,
    // shaping and layout of a keystroke were cheaper on the reference pages than in
    // Galley for reasons that had nothing to do with the editors.)
    const textStyle = await body.locator('p').first().evaluate((p) => {
      const cs = getComputedStyle(p);
      return `font-family: ${cs.fontFamily.replace(/"/g, "'")}; font-size: ${cs.fontSize}; line-height: ${cs.lineHeight}; width: ${cs.width}`;
    });
    const plain = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await plain.setContent(
      `<div contenteditable="true" role="textbox" aria-label="Plain" style="${textStyle}">${paragraphs.map((p) => `<p>${p}</p>`).join('')}</div>`,
    );
    // Bare tiptap (StarterKit only) on the same text: what the editor framework costs.
    const bare = await referencePage(browser, 'bareTiptap.ts', textStyle, paragraphs);
    // The same StarterKit editor hosted in React the way Galley hosts its own (tiptap's
    // React bindings, a React root around it): the floor of Galley's stack, apart from
    // anything Galley adds.
    const hosted = await referencePage(browser, 'reactTiptap.ts', textStyle, paragraphs);
    // A second bare tiptap page, identical to the first: the two differ only by the
    // machine's noise, so their ratio shows how far apart two equal editors come out
    // in this run (an A/A control for every ratio below).
    const bareAgain = await referencePage(browser, 'bareTiptap.ts', textStyle, paragraphs);
    // The pages, each with its paragraphs and its timed rounds; they take turns.
    const subject = (p: Page, paragraphs: string): Subject => ({ page: p, paragraph: (n: number) => p.locator(paragraphs).nth(n), rounds: [] as number[], keys: [] as number[] });
    const editor = subject(page, '[aria-label="Body"] > p');
    const plainPage = subject(plain, '[aria-label="Plain"] > p');
    const barePage = subject(bare, '.ProseMirror > p');
    const hostedPage = subject(hosted, '.ProseMirror > p');
    const bareAgainPage = subject(bareAgain, '.ProseMirror > p');
    const pages = [editor, plainPage, barePage, hostedPage, bareAgainPage];
    // A first round was slow on every page alike (just-compiled code, caches): each page
    // first types 100 keystrokes that are not counted.
    for (const p of pages) {
      await p.page.bringToFront();
      await measureTyping(p.page, p.paragraph(25), 100);
    }
    // The machine's noise is larger than the differences measured: alternate the
    // pages, five rounds of 500 keystrokes each, and compare the median rounds.
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of pages) {
        await p.page.bringToFront();
        const latencies = await measureTyping(p.page, p.paragraph(30 + round * 5));
        p.rounds.push(percentile(latencies, 95));
        p.keys.push(...latencies);
      }
    }
    // Reporters type in bursts: a few words, a pause (house style, counts and the save
    // run in it), a few more. Same measure per keystroke; the first key after each pause
    // is reported on its own (its median: 16 of them per page). Two rounds, the pages
    // taking turns.
    const bursts = new Map<Subject, { all: number[]; first: number[] }>(pages.map((p) => [p, { all: [], first: [] }]));
    for (let round = 0; round < BURST_ROUNDS; round++) {
      for (const p of pages) {
        await p.page.bringToFront();
        const got = await measureBursts(p.page, p.paragraph(56 + round * 2));
        bursts.get(p)!.all.push(...got.all);
        bursts.get(p)!.first.push(...got.first);
      }
    }
    const burstFigures = (p: Subject) => {
      const { all, first } = bursts.get(p)!;
      return { p50Ms: round(percentile(all, 50)), p95Ms: round(percentile(all, 95)), firstKeyP50Ms: round(percentile(first, 50)) };
    };
    // House style was on: these are its marks around the last paragraph typed in.
    const styleMarksOnScreen = await body.locator('.style-issue').count();
    // Where a keystroke's time goes, from a Chromium trace taken after the timed
    // rounds (tracing slows everything, so it never feeds the figures above).
    const breakdown = {
      galley: await keystrokeBreakdown(browser, editor.page, editor.paragraph(60)),
      bareTiptap: await keystrokeBreakdown(browser, barePage.page, barePage.paragraph(60)),
      reactTiptap: await keystrokeBreakdown(browser, hostedPage.page, hostedPage.paragraph(60)),
      plain: await keystrokeBreakdown(browser, plainPage.page, plainPage.paragraph(60)),
    };
    const editorRounds = editor.rounds;
    const plainRounds = plainPage.rounds;
    const bareRounds = barePage.rounds;
    const editorP95 = percentile(editorRounds, 50);
    const plainP95 = percentile(plainRounds, 50);
    const bareP95 = percentile(bareRounds, 50);
    const hostedP95 = percentile(hostedPage.rounds, 50);
    return {
      bench: 'editor',
      articleWords: paragraphs.join(' ').split(' ').length,
      referenceTextStyle: textStyle,
      figures: 20,
      keystrokes: KEYSTROKES,
      typingP95Ms: round(editorP95),
      plainP95Ms: round(plainP95),
      bareTiptapP95Ms: round(bareP95),
      reactTiptapP95Ms: round(hostedP95),
      typingP95Rounds: editorRounds.map((r) => round(r)),
      plainP95Rounds: plainRounds.map((r) => round(r)),
      bareTiptapP95Rounds: bareRounds.map((r) => round(r)),
      reactTiptapP95Rounds: hostedPage.rounds.map((r) => round(r)),
      typingRatio: round(editorP95 / plainP95),
      // The framework's own share of the floor, and Galley against the framework: the
      // issue's premise is bare tiptap at about the floor (ratio ≤ 1).
      bareTiptapRatio: round(bareP95 / plainP95),
      galleyVsBareTiptap: round(editorP95 / bareP95),
      // The floor of the stack Galley is built on (React and tiptap's React bindings
      // around the same bare editor), and Galley against that floor.
      reactTiptapVsBare: round(hostedP95 / bareP95),
      galleyVsReactTiptap: round(editorP95 / hostedP95),
      // The A/A control: the second bare tiptap page against the first (1 but for noise).
      bareTiptapAgainP95Rounds: bareAgainPage.rounds.map((r) => round(r)),
      bareTiptapAgainVsBare: round(percentile(bareAgainPage.rounds, 50) / bareP95),
      // Every timed keystroke of a page together (2,500 a page), where a round's
      // conditions weigh less than in the median of five rounds' p95s: p95, median and
      // mean per page, and Galley against bare tiptap by each.
      pooled: pooledFigures({ galley: editor, bareTiptap: barePage, reactTiptap: hostedPage, bareTiptapAgain: bareAgainPage, plain: plainPage }),
      openMs: Math.round(percentile(openTimes, 50)),
      burstTyping: { galley: burstFigures(editor), bareTiptap: burstFigures(barePage), reactTiptap: burstFigures(hostedPage), plain: burstFigures(plainPage), burstRatioP50: round(percentile(bursts.get(editor)!.all, 50) / percentile(bursts.get(plainPage)!.all, 50)) },
      styleMarksOnScreen,
      keystrokeBreakdownMs: breakdown,
      articleId,
    };
  } finally {
    await browser.close();
    await server.stop();
    data.remove();
  }
}

/** Per page, its pooled keystrokes' p95, median and mean; then pages against bare tiptap by each. */
function pooledFigures(subjects: Record<string, Subject>) {
  const figures = (keys: number[]) => ({ p95: percentile(keys, 95), p50: percentile(keys, 50), mean: keys.reduce((a, b) => a + b, 0) / keys.length });
  const raw = Object.fromEntries(Object.entries(subjects).map(([name, s]) => [name, figures(s.keys)]));
  const pages = Object.fromEntries(Object.entries(raw).map(([name, f]) => [name, { p95Ms: round(f.p95), p50Ms: round(f.p50), meanMs: round(f.mean) }]));
  const bare = raw.bareTiptap!;
  const vsBare = (name: string) => ({ p95: round(raw[name]!.p95 / bare.p95), p50: round(raw[name]!.p50 / bare.p50), mean: round(raw[name]!.mean / bare.mean) });
  return { pages, galleyVsBareTiptap: vsBare('galley'), reactTiptapVsBare: vsBare('reactTiptap'), bareTiptapAgainVsBare: vsBare('bareTiptapAgain') };
}

/** A page holding one of the bench's bundled reference editors (tests/bench/<entry>) over the story's paragraphs, laid out in `textStyle`. */
async function referencePage(browser: Browser, entry: string, textStyle: string, paragraphs: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const bundle = await build({
    entryPoints: [`${ROOT}tests/bench/${entry}`],
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  await page.setContent(`<div id="bare" style="${textStyle}"></div>`);
  await page.evaluate((p) => ((window as unknown as { __paragraphs: string[] }).__paragraphs = p), paragraphs);
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  await page.locator('.ProseMirror > p').first().waitFor();
  return page;
}

/**
 * Puts the caret at the end of the target paragraph, then lets house style mark the
 * paragraphs now on screen (it follows scrolling), so the keystrokes are typed among
 * its marks, as a reporter would.
 */
async function placeCaret(page: Page, target: ReturnType<Page['locator']>) {
  await target.scrollIntoViewIfNeeded();
  await target.click();
  await page.keyboard.press('End');
  await page.waitForTimeout(400);
}

/** From a capturing keydown listener to a zero-delay timer queued from the input event; into window.__lat. */
async function installLatencyProbe(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __lat: number[]; __t0: number; __listening?: boolean };
    w.__lat = [];
    if (w.__listening) return;
    w.__listening = true;
    document.addEventListener('keydown', () => (w.__t0 = performance.now()), true);
    document.addEventListener('input', () => {
      const start = w.__t0;
      setTimeout(() => w.__lat.push(performance.now() - start), 0);
    });
  });
}

/** One round: each keystroke's latency, in the order typed. */
async function measureTyping(page: Page, target: ReturnType<Page['locator']>, keystrokes = KEYSTROKES): Promise<number[]> {
  await placeCaret(page, target);
  await installLatencyProbe(page);
  const text = 'the harbor board voted late on tuesday and the fishermen said they would fight it ';
  let typed = 0;
  while (typed < keystrokes) {
    const chunk = text.slice(0, Math.min(text.length, keystrokes - typed));
    await page.keyboard.type(chunk, { delay: 15 });
    typed += chunk.length;
  }
  await page.waitForTimeout(50);
  const latencies = await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat);
  return latencies.slice(0, keystrokes);
}

/** Keystroke latencies (same measure as measureTyping) over bursts of typing with pauses. */
async function measureBursts(page: Page, target: ReturnType<Page['locator']>): Promise<{ all: number[]; first: number[] }> {
  await placeCaret(page, target);
  await installLatencyProbe(page);
  for (let i = 0; i < BURSTS; i++) {
    await page.keyboard.type(BURST_TEXT, { delay: 30 });
    await page.waitForTimeout(BURST_PAUSE_MS);
  }
  const all = await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat);
  return { all, first: all.filter((_, i) => i % BURST_TEXT.length === 0) };
}

type TraceEvent = { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; cat?: string; args?: { name?: string; data?: { type?: string } } };

/**
 * Mean milliseconds per keystroke spent in each stage, over 200 keystrokes typed
 * while Chromium traces: the browser inserting the character (with the forced
 * layout that needs) and syncing the selection, the page's own input handlers (ProseMirror, plugins, React), layout,
 * the paint lifecycle, and the hover hit-test a frame does when content moves
 * under the pointer. Stages are wall time on the page's main thread, so they include
 * moments the thread waited for a core.
 *
 * Then CPU time per keystroke, which waiting does not inflate: the page's main thread
 * (everything above, and the rest of its frame), and the threads that draw the
 * keystroke's frame and compete with it for this machine's two cores (the page's
 * compositor and raster workers, the GPU process's display compositor).
 */
async function keystrokeBreakdown(browser: Browser, page: Page, target: ReturnType<Page['locator']>) {
  await page.bringToFront();
  await placeCaret(page, target);
  const cdp = await browser.newBrowserCDPSession();
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink,toplevel,__metadata', transferMode: 'ReportEvents' });
  const keys = 200;
  await page.keyboard.type('the harbor board voted late on tuesday and the fishermen said they would fight it '.repeat(3).slice(0, keys), { delay: 15 });
  await page.waitForTimeout(50);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  // The page's main thread is the one that dispatched its key presses.
  const keydown = events.find((e) => e.ph === 'X' && e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
  if (!keydown) throw new Error('the trace holds no key presses');
  const threadName = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, String(e.args?.name)]));
  const gpu = new Set(events.filter((e) => e.ph === 'M' && e.name === 'process_name' && e.args?.name === 'GPU Process').map((e) => e.pid));
  const onMain = events.filter((e) => e.pid === keydown.pid && e.tid === keydown.tid);
  const ms = (name: string, type?: string) =>
    round(onMain.filter((e) => e.ph === 'X' && e.name === name && (!type || e.args?.data?.type === type)).reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000 / keys);
  const cpu = (keep: (e: TraceEvent, thread: string) => boolean) =>
    round(events.filter((e) => e.ph === 'X' && e.cat?.includes('toplevel') && keep(e, threadName.get(`${e.pid}:${e.tid}`) ?? '')).reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000 / keys);
  // The input handlers and the selection sync run inside the browser's insert command.
  const insert = ms('TypingCommand::InsertText');
  const handlers = ms('EventDispatch', 'input');
  const selectionSync = ms('Editor::SyncSelection');
  return {
    browserInsert: round(insert - handlers - selectionSync),
    selectionSync,
    inputHandlers: handlers,
    keydownHandlers: ms('EventDispatch', 'keydown'),
    layout: ms('Layout'),
    paint: ms('LocalFrameView::RunPaintLifecyclePhase'),
    hoverHitTest: ms('LayoutView::HitTest'),
    mainThreadCpu: cpu((e) => e.pid === keydown.pid && e.tid === keydown.tid),
    drawingThreadsCpu: cpu(
      (e, thread) => (e.pid === keydown.pid && (thread === 'Compositor' || thread.startsWith('ThreadPoolForegroundWorker'))) || (gpu.has(e.pid) && thread === 'VizCompositorThread'),
    ),
  };
}

async function seed(dataDir: string, prose: Prose, paragraphs: string[]) {
  const backend = openBackend({ dataDir, autosave: { pauseMs: 3_600_000, maxIntervalMs: 3_600_000 } });
  try {
    const person = await backend.invoke('people.create', { name: 'Bench Editor', role: 'editor' });
    await backend.invoke('session.switch', { personId: person.id });
    const photo = new Uint8Array(readFileSync(new URL('../fixtures/images/harbor-dawn.jpg', import.meta.url)));
    const asset = await backend.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: photo });
    const captions: string[] = [];
    for (let i = 0; i < 20; i++) captions.push((await backend.invoke('captions.createFromPhoto', { sha256: asset.sha256 })).id);
    // 80 paragraphs of ~250 words, with the slips house style exists to catch.
    for (let i = 0; i < 80; i++) {
      let text = prose.sentences(250).join(' ');
      if (i % 7 === 0) text = text.replace(/ the /, ' the the ');
      if (i % 11 === 0) text += ' Prices rose 5% and the report is TK.';
      paragraphs.push(text);
    }
    const nodes: RichNode[] = [];
    paragraphs.forEach((text, i) => {
      nodes.push({ type: 'paragraph', content: [{ type: 'text', text }] });
      if (i % 4 === 3) nodes.push({ type: 'figure', attrs: { captionId: captions[(i - 3) / 4]!, captionOverride: null } });
    });
    const article = await backend.invoke('documents.create', { kind: 'article' });
    const content = {
      ...article.content,
      fields: { ...article.content.fields, headline: 'Harbor expansion: the long read', wordBudget: 21_000 },
      body: { type: 'doc', content: nodes },
    };
    await backend.invoke('documents.saveWorking', { id: article.id, version: article.version, content: content as never });
    return { articleId: article.id };
  } finally {
    backend.close();
  }
}
